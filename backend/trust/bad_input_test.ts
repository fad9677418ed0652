/**
 * Every route's body, path and query against the hostile corpus: always a
 * 4xx with a clear JSON message, never a 5xx, never anything stored, and
 * Object.prototype untouched.
 */
import { equal, ok } from "node:assert/strict";
import { ErrorBody } from "../../shared/api.ts";
import type { Db } from "../database/db.ts";
import { TestBrowser, withServer } from "../testing/fixtures.ts";
import { HOSTILE_BODIES, HOSTILE_IDS, HOSTILE_QUERIES, mutations } from "./corpus.ts";
import { recordCases } from "./summary.ts";

const BODY_ROUTES: Array<[string, Record<string, unknown>, string[]?]> = [
  ["/api/connect/token", { fresh: true }, ["fresh"]],
  ["/api/actions/run", { actionId: "slack-send-message", configuredProps: {} }],
  ["/api/triggers", { triggerId: "slack-new-message", configuredProps: {} }],
  ["/api/proxy", { accountId: "apn_abc123", method: "GET", path: "/api/conversations.list" }],
];
const ID_ROUTES: Array<[string, string]> = [
  ["GET", "/api/accounts/"],
  ["DELETE", "/api/accounts/"],
  ["DELETE", "/api/triggers/"],
];
const QUERY_ROUTES = ["/api/events", "/api/runs", "/api/accounts", "/api/triggers"];

async function rowCounts(db: Db): Promise<Record<string, number>> {
  const tables = (await db.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('schema_migrations', 'app_settings', 'rate_limits', 'sdk_calls', 'sqlite_sequence')",
  )).rows.map((r) => String(r.name));
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = Number((await db.execute(`SELECT COUNT(*) AS n FROM "${t}"`)).rows[0].n);
  return out;
}

async function expectClear4xx(res: Response, label: string) {
  const text = await res.text();
  ok(
    res.status >= 400 && res.status < 500,
    `${label}: expected 4xx, got ${res.status} ${text.slice(0, 200)}`,
  );
  const parsed = ErrorBody.safeParse(JSON.parse(text));
  ok(parsed.success, `${label}: error body has the API's shape: ${text.slice(0, 200)}`);
  ok(parsed.data!.error.message.length > 0, `${label}: message is not empty`);
}

Deno.test("hostile corpus against every route: 4xx with a message, nothing stored", async () => {
  await withServer(async (server) => {
    const browser = new TestBrowser(server.url);
    await browser.json("/api/session");
    const before = await rowCounts(server.db);
    let cases = 0;

    for (const [path, valid, optional] of BODY_ROUTES) {
      for (const [name, body] of mutations(valid, optional)) {
        await expectClear4xx(await browser.fetch(path, { json: body }), `${path} ${name}`);
        cases++;
      }
      for (const [name, raw] of HOSTILE_BODIES) {
        const res = await browser.fetch(path, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: raw,
        });
        // An empty body is `{}`: valid for the token route, which then mints a token.
        if (path === "/api/connect/token" && (name === "empty")) {
          equal(res.status, 200);
          await res.body?.cancel();
        } else await expectClear4xx(res, `${path} body ${name}`);
        cases++;
      }
    }
    for (const [method, prefix] of ID_ROUTES) {
      for (const id of HOSTILE_IDS) {
        await expectClear4xx(await browser.fetch(prefix + id, { method }), `${method} ${prefix}${id}`);
        cases++;
      }
    }
    for (const path of QUERY_ROUTES) {
      for (const q of HOSTILE_QUERIES) {
        const res = await browser.fetch(`${path}?${q}`);
        // List routes that take no query ignore it; those that do must refuse bad values.
        ok(res.status < 500, `${path}?${q}: ${res.status}`);
        if (res.status >= 400) await expectClear4xx(res, `${path}?${q}`);
        else await res.body?.cancel();
        cases++;
      }
    }

    const after = await rowCounts(server.db);
    // The one valid request above minted a token; nothing else may have been written.
    equal(after.connect_tokens - (before.connect_tokens ?? 0) <= 1, true);
    for (const [table, n] of Object.entries(after)) {
      if (table === "connect_tokens" || table.startsWith("sandbox_")) continue;
      equal(n, before[table] ?? 0, `rows in ${table}`);
    }
    equal(({} as Record<string, unknown>).polluted, undefined, "Object.prototype polluted");
    equal(({} as Record<string, unknown>).x, undefined, "Object.prototype polluted");
    recordCases("bad input", cases);
  });
});
