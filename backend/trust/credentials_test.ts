/**
 * No credential ever reaches a browser: every /api response and SSE message
 * of a full session is scanned for credential fields and for every secret
 * value the sandbox and the app hold.
 */
import { ok } from "node:assert/strict";
import type { Db } from "../database/db.ts";
import { readStream } from "../testing/event_stream.ts";
import { connectAccount, TestBrowser, withServer } from "../testing/fixtures.ts";
import { recordCases } from "./summary.ts";

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
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    const seen: Array<[string, string]> = [];
    const get = async (path: string, init: RequestInit & { json?: unknown } = {}) => {
      const res = await alice.fetch(path, init);
      seen.push([path, await res.text()]);
    };
    await get("/");
    await get("/api/session");
    const slack = await connectAccount(alice, server, "slack");
    const crm = await connectAccount(alice, server, "acme_crm", { apiKey: "sbx_key_scanme12345" });
    const stream = readStream(await alice.fetch("/api/events/stream"));
    await get("/api/accounts");
    await get(`/api/accounts/${slack}`);
    await get(`/api/accounts/${crm}`);
    await get("/api/triggers", {
      json: {
        triggerId: "slack-new-message",
        configuredProps: { slack: { authProvisionId: slack }, channel: "C01GENERAL" },
      },
    });
    await get("/api/actions/run", {
      json: {
        actionId: "slack-send-message",
        configuredProps: { slack: { authProvisionId: slack }, channel: "C01GENERAL", text: "scan" },
      },
    });
    await get("/api/actions/run", {
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
    await get("/api/proxy", { json: { accountId: slack, method: "GET", path: "/auth.test" } });
    await get("/api/proxy", { json: { accountId: crm, method: "GET", path: "/v1/records" } });
    await server.sandbox.flushDeliveries();
    await get("/api/runs");
    await get("/api/triggers");
    await get("/api/events");
    await get("/api/sdk-calls");
    // The stream carried the event (until fails otherwise).
    seen.push(["/api/events/stream", await stream.until("pd-event")]);
    await stream.close();

    const secrets = await secretsHeld(server.db);
    ok(secrets.some((s) => s.startsWith("sbx_at_")) && secrets.some((s) => s.startsWith("sbx_sec_")));
    for (const [path, raw] of seen) {
      // The inspector carries bodies as JSON strings: scan them unescaped too.
      const text = raw.replaceAll('\\"', '"');
      ok(!FIELD_NAMES.test(text), `${path} exposes a credential field: ${text.match(FIELD_NAMES)?.[0]}`);
      for (const s of secrets) ok(!text.includes(s), `${path} exposes a secret value (${s.slice(0, 8)}…)`);
    }
    recordCases("credential scan", seen.length * (secrets.length + 1));
  });
});
