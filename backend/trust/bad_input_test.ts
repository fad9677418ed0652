/**
 * Every route of the app (read from its route table, see routes.ts) against
 * the hostile corpus: bodies, path params and queries. Always a 4xx with a
 * clear JSON message, never a 5xx, never anything stored, and
 * Object.prototype untouched.
 */
import { equal, ok } from "node:assert/strict";
import { ErrorBody } from "../../shared/api.ts";
import type { Db } from "../database/db.ts";
import { TestBrowser, withServer } from "../testing/fixtures.ts";
import { HOSTILE_BODIES, HOSTILE_IDS, HOSTILE_QUERIES, mutations } from "./corpus.ts";
import { fillPath, isApi, NOBODYS_IDS, ROUTE_CASES, routeTable, takesBody } from "./routes.ts";
import { trustCategory } from "./summary.ts";

async function rowCounts(db: Db): Promise<Record<string, number>> {
  const tables = (await db.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('schema_migrations', 'app_settings', 'rate_limits', 'sdk_calls', 'sqlite_sequence')",
  )).rows.map((r) => String(r.name));
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = Number((await db.execute(`SELECT COUNT(*) AS n FROM "${t}"`)).rows[0].n);
  // A well-formed run that Pipedream refused is history, recorded as failed (the corpus's `{}` props
  // make such runs); only a successful run would be something stored.
  out.action_runs = Number(
    (await db.execute("SELECT COUNT(*) AS n FROM action_runs WHERE outcome != 'error'")).rows[0].n,
  );
  return out;
}

async function expectClear4xx(res: Response) {
  const text = await res.text();
  ok(res.status >= 400 && res.status < 500, `expected 4xx, got ${res.status} ${text.slice(0, 200)}`);
  const parsed = ErrorBody.safeParse(JSON.parse(text));
  ok(parsed.success, `error body has the API's shape: ${text.slice(0, 200)}`);
  ok(parsed.data!.error.message.length > 0, "message is not empty");
}

Deno.test("hostile corpus against every route: 4xx with a message, nothing stored", async () => {
  await trustCategory("bad input", async (t) => {
    await withServer(async (server) => {
      const browser = new TestBrowser(server.url);
      await browser.startSession();
      const before = await rowCounts(server.db);
      const routes = await routeTable(server.app);

      for (const route of routes.filter(takesBody)) {
        const path = fillPath(route, "x");
        const example = ROUTE_CASES[route.key];
        for (
          const [name, body] of example?.body ? mutations(example.body(NOBODYS_IDS), example.optional) : []
        ) {
          await t.check(`${route.key} ${name}`, async () => {
            await expectClear4xx(await browser.fetch(path, { method: route.method, json: body }));
          });
        }
        for (const [name, raw] of HOSTILE_BODIES) {
          await t.check(`${route.key} body ${name}`, async () => {
            const res = await browser.fetch(path, {
              method: route.method,
              headers: { "content-type": "application/json" },
              body: raw,
            });
            if (name === "empty" && example?.emptyIsValid) {
              equal(res.status, 200);
              await res.body?.cancel();
            } else await expectClear4xx(res);
          });
        }
      }
      for (const route of routes.filter((r) => r.params.length > 0)) {
        for (const id of HOSTILE_IDS) {
          await t.check(`${route.method} ${fillPath(route, id, true)}`, async () => {
            const init = takesBody(route) ? { json: {} } : {};
            await expectClear4xx(
              await browser.fetch(fillPath(route, id, true), { method: route.method, ...init }),
            );
          });
        }
      }
      for (const route of routes.filter((r) => r.method === "GET" && r.params.length === 0)) {
        for (const q of HOSTILE_QUERIES) {
          await t.check(`${route.path}?${q}`, async () => {
            const res = await browser.fetch(`${route.path}?${q}`);
            // Routes that take no query ignore it; those that do must refuse bad values.
            ok(res.status < 500, `${res.status}`);
            if (res.status >= 400) await expectClear4xx(res);
            else await res.body?.cancel();
          });
        }
      }

      await t.check("nothing stored", async () => {
        const after = await rowCounts(server.db);
        // The one valid request (an empty body to the token route) minted a token; nothing else was written.
        ok(after.connect_tokens - (before.connect_tokens ?? 0) <= 1, "tokens minted");
        for (const [table, n] of Object.entries(after)) {
          if (table === "connect_tokens" || table.startsWith("sandbox_")) continue;
          equal(n, before[table] ?? 0, `rows in ${table}`);
        }
      });
      await t.check("Object.prototype untouched", () => {
        equal(({} as Record<string, unknown>).polluted, undefined);
        equal(({} as Record<string, unknown>).x, undefined);
      });
      await t.check("the API's routes were all attacked", () => {
        ok(routes.filter(isApi).length >= 10, `only ${routes.filter(isApi).length} API routes in the table`);
      });
    });
  });
});
