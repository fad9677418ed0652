import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { Hono } from "hono";
import { handleErrors } from "../http/error_mapping.ts";
import { errorResponse } from "../http/errors.ts";
import { currentRequestContext, runWithRequestContext } from "../pipedream/request_context.ts";
import { everyRoute, lazy, lazyRoutes, warmWhenQuiet } from "./lazy.ts";

type Env = { Variables: { user: string } };

Deno.test("a lazy value loads once, shared by every caller; a failed load is tried again", async () => {
  let loads = 0;
  const value = lazy(() => Promise.resolve(++loads));
  deepStrictEqual(await Promise.all([value(), value(), value()]), [1, 1, 1]);

  let fail = true;
  const flaky = lazy(() => (fail ? Promise.reject(new Error("not yet")) : Promise.resolve("loaded")));
  await rejects(flaky(), /not yet/);
  await flaky.warm(); // a failed warm-up is left to whoever needs the value
  fail = false;
  equal(await flaky(), "loaded");
});

Deno.test("warming loads each part in turn, each once requests are quiet, and stops when told", async () => {
  const order: string[] = [];
  const part = (name: string) =>
    lazy(async () => {
      order.push(`${name} starts`);
      await new Promise((r) => setTimeout(r, 5));
      order.push(`${name} loaded`);
    });
  // While busy, a request has always just come: nothing here depends on how late a timer fires.
  let busy = true;
  let lastRequest = performance.now();
  const lastRequestAt = () => busy ? (lastRequest = performance.now()) : lastRequest;
  const stop = new AbortController();
  const warming = warmWhenQuiet([part("a"), part("b"), part("c")], lastRequestAt, stop.signal, 20);
  await new Promise((r) => setTimeout(r, 60));
  deepStrictEqual(order, [], "nothing while requests keep coming");
  busy = false;
  while (order.length < 4) await new Promise((r) => setTimeout(r, 5));
  stop.abort();
  await warming;
  deepStrictEqual(order, ["a starts", "a loaded", "b starts", "b loaded"]);
});

/** An app as app.ts builds one: its own error handler and 404, middleware setting variables and headers. */
function appWith(group: Hono<Env>) {
  const app = new Hono<Env>();
  app.onError(handleErrors("test", errorResponse));
  app.notFound((c) => c.json({ error: { code: "not_found", message: "no route" } }, 404));
  app.use(async (c, next) => {
    c.set("user", "alice");
    c.header("Cache-Control", "no-store");
    await next();
  });
  const api = new Hono<Env>();
  api.get("/things", (c) => c.text("served from start"));
  api.route("/things", group);
  app.route("/api", api);
  return app;
}

Deno.test("a lazy route group serves its routes where it is mounted, with the app's variables and headers", async () => {
  let loads = 0;
  const group = lazyRoutes(() => {
    loads++;
    return Promise.resolve(
      new Hono<Env>()
        .post("/", (c) => c.json({ user: c.get("user") }, 201))
        .get("/:id", (c) => c.json({ id: c.req.param("id"), path: c.req.path })),
    );
  });
  const app = appWith(group);
  equal(loads, 0, "nothing loads before it is needed");

  const eager = await app.request("/api/things");
  equal(await eager.text(), "served from start");
  equal(loads, 0, "a route served from start does not load the group");

  const made = await app.request("/api/things", { method: "POST" });
  equal(made.status, 201);
  deepStrictEqual(await made.json(), { user: "alice" });
  equal(made.headers.get("cache-control"), "no-store");
  const one = await app.request("/api/things/42");
  deepStrictEqual(await one.json(), { id: "42", path: "/api/things/42" });
  equal(loads, 1);

  // No route in the group: the app's own 404.
  const none = await app.request("/api/things/42/nothing");
  equal(none.status, 404);
  deepStrictEqual(await none.json(), { error: { code: "not_found", message: "no route" } });

  deepStrictEqual(
    (await everyRoute(app)).filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path}`),
    ["GET /api/things", "POST /api/things", "GET /api/things/:id"],
  );
});

Deno.test("a group that fails to load, or throws, answers through the app's error handler; the next request loads it", async () => {
  let broken = true;
  const app = appWith(
    lazyRoutes(() =>
      broken ? Promise.reject(new Error("module not found")) : Promise.resolve(
        new Hono<Env>().get("/:id", () => {
          throw new Error("a bug");
        }),
      )
    ),
  );
  const originalError = console.error;
  console.error = () => {}; // the 500s are logged as bugs: expected here
  try {
    const failed = await app.request("/api/things/1");
    equal(failed.status, 500);
    deepStrictEqual((await failed.json()).error.code, "internal");
    broken = false;
    const threw = await app.request("/api/things/1");
    equal(threw.status, 500);
    deepStrictEqual((await threw.json()).error.code, "internal");
  } finally {
    console.error = originalError;
  }
});

// Deno carries the context of the code that starts a dynamic import on into later work that is none of its
// own (observed on 2.9: the next request, the next test). Two tests, in this order: one loads during a
// "request", the next looks at what it was left with.
let loadedDuringARequest = false;
Deno.test("a value first asked for during a request loads outside that request's context…", async () => {
  const value = lazy(() => import(`data:text/javascript,export default ${Math.random()}`));
  await runWithRequestContext(
    { origin: "https://request.example", externalUserId: "u_someone" },
    () => value(),
  );
  loadedDuringARequest = true;
});
Deno.test("…so work after it does not run as that request (its origin, its user)", () => {
  ok(loadedDuringARequest);
  equal(currentRequestContext(), undefined);
});
