/**
 * No credential ever reaches a browser: every /api response and SSE message
 * of a full session is scanned for credential fields and for every secret
 * value the sandbox and the app hold.
 */
import { ok } from "node:assert/strict";
import type { Db } from "../database/db.ts";
import { readStream } from "../testing/event_stream.ts";
import { eventually } from "../testing/eventually.ts";
import { connectAccount, TestBrowser, withServer } from "../testing/fixtures.ts";
import { fillPath, isApi, ROUTE_CASES, routeTable } from "./routes.ts";
import { trustCategory } from "./summary.ts";

async function secretsHeld(db: Db): Promise<string[]> {
  const out: string[] = [];
  for (const r of (await db.execute("SELECT credentials FROM sandbox_accounts")).rows) {
    out.push(...Object.values(JSON.parse(String(r.credentials)) as Record<string, string>));
  }
  for (const r of (await db.execute("SELECT signing_key FROM sandbox_deployments")).rows) {
    out.push(String(r.signing_key));
  }
  for (const r of (await db.execute("SELECT token FROM sandbox_oauth_tokens")).rows) {
    out.push(String(r.token));
  }
  for (const r of (await db.execute("SELECT value FROM sandbox_settings WHERE key LIKE '%key%'")).rows) {
    out.push(String(r.value));
  }
  for (const r of (await db.execute("SELECT value FROM app_settings")).rows) out.push(String(r.value));
  return out.filter((s) => s.length >= 12);
}

/** A credential field with a value (the inspector may show a field's name, its value redacted). */
const FIELD_NAMES =
  /"(oauth_access_token|oauth_refresh_token|credentials|signing_key|webhook_signing_key|signingKey|client_secret|api_key)"\s*:\s*(?!"\[redacted\]")/;

Deno.test("no credential or secret value appears in any API response or stream message", async () => {
  await trustCategory("credential scan", async (t) => {
    await withServer(async (server) => {
      const alice = new TestBrowser(server.url);
      const seen: Array<[string, string]> = [];
      const send = async (path: string, init: RequestInit & { json?: unknown } = {}) => {
        const res = await alice.fetch(path, init);
        seen.push([`${init.method ?? "POST"} ${path}`, await res.text()]);
      };
      // A full session: connect (OAuth and key), deploy, run, proxy, deliver.
      await alice.json("/api/session");
      const slack = await connectAccount(alice, server, "slack");
      const crm = await connectAccount(alice, server, "acme_crm", { apiKey: "sbx_key_scanme12345" });
      await send("/api/triggers", {
        json: ROUTE_CASES["POST /api/triggers"].body!({ account: slack, trigger: "" }),
      });
      await send("/api/actions/run", {
        json: {
          actionId: "slack-send-message",
          configuredProps: { slack: { authProvisionId: slack }, channel: "C01GENERAL", text: "scan" },
        },
      });
      await send("/api/actions/run", {
        json: {
          actionId: "acme_crm-create-record",
          configuredProps: {
            acmeCrm: { authProvisionId: crm },
            recordType: "contact",
            name: "A",
            email: "a@example.com",
            privateNote: "sbx_key_scanme12345",
          },
        },
      });
      await send("/api/proxy", { json: { accountId: slack, method: "GET", path: "/auth.test" } });
      await send("/api/proxy", { json: { accountId: crm, method: "GET", path: "/v1/records" } });
      await send("/api/connect/token", { json: {} });
      const events = await eventually(async () => {
        await server.sandbox.flushDeliveries();
        return (await alice.json<{ data: Array<{ id: string }> }>("/api/events")).body.data.map((e) => e.id)
          .at(0);
      }, { what: "the trigger's event" });
      const triggers = (await alice.json<{ data: Array<{ id: string }> }>("/api/triggers")).body.data;
      const runs = (await alice.json<{ data: Array<{ id: string }> }>("/api/runs")).body.data;
      const ids = [slack, crm, ...triggers.map((x) => x.id), ...runs.map((x) => x.id), events];

      // Then every page and API read of the route table, with each of Alice's ids where a route takes one.
      const reads = (await routeTable(server.app)).filter((r) =>
        r.method === "GET" && (isApi(r) || r.path === "/")
      );
      for (const route of reads) {
        for (const path of route.params.length ? ids.map((id) => fillPath(route, id)) : [route.path]) {
          const res = await alice.fetch(path);
          if (res.headers.get("content-type")?.startsWith("text/event-stream")) {
            await res.body?.cancel();
            // Replayed from the start, up to Alice's event.
            const stream = readStream(await alice.fetch(`${path}?since=0.0`));
            seen.push([`GET ${path}`, await stream.until(events)]);
            await stream.close();
          } else seen.push([`GET ${path}`, await res.text()]);
        }
      }

      const secrets = await secretsHeld(server.db);
      ok(secrets.some((s) => s.startsWith("sbx_at_")) && secrets.some((s) => s.startsWith("sbx_sec_")));
      for (const [path, raw] of seen) {
        // The inspector carries bodies as JSON strings: scan them unescaped too.
        const text = raw.replaceAll('\\"', '"');
        await t.check(`${path}: credential fields`, () => {
          ok(!FIELD_NAMES.test(text), `exposes a credential field: ${text.match(FIELD_NAMES)?.[0]}`);
        });
        for (const s of secrets) {
          await t.check(`${path}: ${s.slice(0, 8)}…`, () => ok(!text.includes(s), "exposes a secret value"));
        }
      }
    });
  });
});
