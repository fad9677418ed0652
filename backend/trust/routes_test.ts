/**
 * The trust suite knows every route: the route table comes from the app, and
 * every API body route has a valid example in ROUTE_CASES (without one its
 * bodies cannot be mutated or sent with another user's ids). A case for a
 * route the app no longer has is stale.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { createRuntime } from "../runtime.ts";
import { isApi, ROUTE_CASES, routeTable, takesBody } from "./routes.ts";

Deno.test("the trust suite attacks the app's own routes, and has an example body for each API body route", async () => {
  const runtime = await createRuntime({}, { databaseUrl: ":memory:", log: () => {} });
  try {
    const routes = await routeTable(runtime.app);
    const keys = new Set(routes.map((r) => r.key));
    for (
      const expected of ["GET /api/session", "POST /api/actions/run", "DELETE /api/triggers/:id", "GET /"]
    ) {
      ok(keys.has(expected), `${expected} is in the route table: ${[...keys].join(", ")}`);
    }
    ok(
      ![...keys].some((k) => k.includes("/sandbox")),
      "the sandbox (Pipedream's stand-in) is not attacked here",
    );
    const missing = routes.filter((r) => isApi(r) && takesBody(r) && !ROUTE_CASES[r.key]?.body).map((r) =>
      r.key
    );
    deepStrictEqual(
      missing,
      [],
      "add a valid example body for these routes to ROUTE_CASES in backend/trust/routes.ts",
    );
    const stale = Object.keys(ROUTE_CASES).filter((k) => !keys.has(k));
    deepStrictEqual(stale, [], "these ROUTE_CASES name routes the app no longer has");
  } finally {
    await runtime.close();
  }
});
