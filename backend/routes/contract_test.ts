/**
 * Every API route's real answer matches its schema in shared/api.ts
 * (RESPONSES): one user's session touches every route of the app's route
 * table, reads before deletes, and each successful answer is parsed. A route
 * with no entry in RESPONSES, or that never answered successfully here, fails.
 */
import { equal, ok } from "node:assert/strict";
import { RESPONSES } from "../../shared/api.ts";
import { eventually } from "../testing/eventually.ts";
import { connectAccount, TestBrowser, withServer } from "../testing/fixtures.ts";
import { fillPath, isApi, ROUTE_CASES, routeTable, takesBody } from "../trust/routes.ts";

Deno.test("every API route answers in the shape shared/api.ts gives the frontend", async () => {
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    await alice.startSession();
    const account = await connectAccount(alice, server, "slack");
    const routes = (await routeTable(server.app)).filter(isApi);
    const unknown = routes.filter((r) => !(r.key in RESPONSES)).map((r) => r.key);
    equal(unknown.join(", "), "", "say what these routes answer in RESPONSES (shared/api.ts)");

    const ids = [account];
    const checked = new Set<string>();
    const check = async (key: keyof typeof RESPONSES, res: Response) => {
      const expected = RESPONSES[key];
      if (expected === null) {
        equal(res.status, 204, key);
        equal(await res.text(), "", key);
      } else if (expected === "text/event-stream") {
        ok(res.headers.get("content-type")?.startsWith("text/event-stream"), key);
        await res.body?.cancel();
      } else {
        const parsed = expected.safeParse(await res.json());
        ok(parsed.success, `${key}: ${parsed.error?.message}`);
        const id = (parsed.data as { id?: unknown; runId?: unknown }).id ??
          (parsed.data as { runId?: unknown }).runId;
        if (typeof id === "string") ids.push(id);
      }
      checked.add(key);
    };

    // Writes first (they make the things reads and deletes name), then reads, deletes, and "Forget me" last.
    const phase = (r: (typeof routes)[number]) =>
      ROUTE_CASES[r.key]?.endsIdentity
        ? 3
        : ({ POST: 0, PUT: 0, PATCH: 0, GET: 1, DELETE: 2 })[r.method] ?? 1;
    for (const current of [0, 1, 2, 3]) {
      if (current === 1) {
        // A message now that the trigger is deployed, and its event arrived: the event list has something.
        await alice.json("/api/actions/run", {
          json: ROUTE_CASES["POST /api/actions/run"].body!({ account, trigger: "" }),
        });
        await eventually(async () => {
          await server.sandbox.flushDeliveries();
          return (await alice.json<{ data: unknown[] }>("/api/events")).body.data.length > 0;
        }, { what: "the trigger's event" });
      }
      for (const route of routes.filter((r) => phase(r) === current)) {
        const paths = route.params.length ? ids.map((id) => fillPath(route, id)) : [route.path];
        for (const path of paths) {
          const body = takesBody(route)
            ? ROUTE_CASES[route.key]?.body?.({ account, trigger: "" })
            : undefined;
          const res = await alice.fetch(path, { method: route.method, ...(body ? { json: body } : {}) });
          if (res.ok) await check(route.key as keyof typeof RESPONSES, res);
          else await res.body?.cancel();
        }
      }
    }
    equal(
      routes.filter((r) => !checked.has(r.key)).map((r) => r.key).join(", "),
      "",
      "never answered successfully",
    );
  });
});
