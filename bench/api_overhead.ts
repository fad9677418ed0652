/**
 * API overhead: the same three calls through the app's API and made directly
 * with the SDK on the sandbox, in one process, on one server, interleaved,
 * on a database file as the app runs (its writes cost what they will).
 */
import { createPipedreamClient } from "../backend/pipedream/client.ts";
import { createRuntime } from "../backend/runtime.ts";
import { SANDBOX_CREDENTIALS } from "../backend/sandbox/credentials.ts";
import { connectAccountViaSandbox } from "../backend/sandbox/testing.ts";
import { TestBrowser } from "../backend/testing/harness.ts";
import { type Row, section, summarize } from "./stats.ts";

const UNLIMITED = { capacity: 1e9, perMinute: 1e9 };

export async function apiOverhead(iterations = 1000): Promise<Row[]> {
  const dir = await Deno.makeTempDir({ prefix: "pdc-api-bench-" });
  // Both sides cross real HTTP: the app's SDK client to its /sandbox, and the direct one.
  const runtime = await createRuntime({
    SANDBOX_CLIENT_SECRET: SANDBOX_CREDENTIALS.clientSecret,
  }, {
    databaseUrl: `file:${dir}/api.db`,
    transport: { kind: "http" },
    port: 0,
    limits: {
      connectTokens: UNLIMITED,
      actionRuns: UNLIMITED,
      triggerDeploys: UNLIMITED,
      proxyCalls: UNLIMITED,
      perAddress: {
        connectTokens: UNLIMITED,
        actionRuns: UNLIMITED,
        triggerDeploys: UNLIMITED,
        proxyCalls: UNLIMITED,
      },
    },
    log: () => {},
  });
  const origin = runtime.url!;
  const direct = createPipedreamClient({ config: runtime.config, sandboxBaseUrl: `${origin}/sandbox` });
  try {
    const browser = new TestBrowser(origin);
    const userId = await browser.startSession();
    const tok =
      (await browser.json<{ token: string }>("/api/connect/token", { json: { fresh: true } })).body.token;
    const slack = (await connectAccountViaSandbox(`${origin}/sandbox`, tok, "slack")).accountId!;
    const props = { slack: { authProvisionId: slack }, channel: "C01GENERAL", text: "bench" };

    const cases: Array<[string, () => Promise<unknown>, () => Promise<unknown>]> = [
      [
        "GET /api/accounts",
        () => browser.json("/api/accounts"),
        () => direct.accounts.list({ externalUserId: userId }),
      ],
      [
        "POST /api/connect/token",
        () => browser.json("/api/connect/token", { json: {} }),
        () => direct.tokens.create({ externalUserId: userId, allowedOrigins: [origin] }),
      ],
      [
        "POST /api/actions/run",
        () =>
          browser.json("/api/actions/run", {
            json: { actionId: "slack-send-message", configuredProps: props },
          }),
        () =>
          direct.actions.run({ id: "slack-send-message", externalUserId: userId, configuredProps: props }),
      ],
    ];
    const rows: Row[] = [];
    for (const [name, viaApp, viaSdk] of cases) {
      for (let i = 0; i < 30; i++) {
        await viaApp();
        await viaSdk();
      }
      const a: number[] = [], d: number[] = [];
      for (let i = 0; i < iterations; i++) {
        let t = performance.now();
        await viaApp();
        a.push(performance.now() - t);
        t = performance.now();
        await viaSdk();
        d.push(performance.now() - t);
      }
      const sa = summarize(a), sd = summarize(d);
      const row = section("API overhead", "ms");
      const how =
        `${iterations} interleaved calls each over loopback; baseline = the same SDK call made directly on the sandbox; app adds ${
          (sa.p50 - sd.p50).toFixed(2)
        } ms`;
      rows.push(
        row(`${name} p50`, sa.p50, sd.p50, how, { text: "adds < 2 ms", met: (app, base) => app - base < 2 }),
      );
      rows.push(
        row(`${name} p99`, sa.p99, sd.p99, `same run; app adds ${(sa.p99 - sd.p99).toFixed(2)} ms`, {
          text: "adds < 5 ms",
          met: (app, base) => app - base < 5,
        }),
      );
    }
    return rows;
  } finally {
    await runtime.close();
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) console.table(await apiOverhead(Number(Deno.args[0] ?? 1000)));
