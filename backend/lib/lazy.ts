/**
 * Code that loads on first use instead of at start: the one mechanism for it.
 *
 * What backend/index.ts imports statically is loaded and evaluated before the
 * app answers anything: on Val Town at every cold start, with a user waiting.
 * The first requests after a start (the page and "who am I", /api/session)
 * need the database, the session and the router. zod and the request
 * schemas, the other API routes, the webhook receiver, the sandbox's routes
 * and its catalog apps can come a moment later, so they are imported with
 * `import()` behind `lazy()`:
 *
 * - a lazy value loads once, on first use, and is shared after; a load that
 *   fails is not kept: the request that needed it fails through the app's one
 *   error path (http/error_mapping.ts: a 500), the next one tries again;
 * - it loads outside any request's context (pipedream/request_context.ts):
 *   Deno carries the context of the code that starts a dynamic import on into
 *   later work of no one's, the next requests included (observed on 2.9), so
 *   the SDK call inspector would file their calls under that request's user;
 * - `lazyRoutes()` is a Hono route group, mounted like any other, whose routes
 *   a lazy value builds;
 * - `warm()` loads it without a request waiting for it. After its first
 *   response the app warms everything it made lazy (app.ts), one part at a
 *   time whenever requests are quiet (`warmWhenQuiet`), so the requests that
 *   follow seldom wait, neither for what they need nor behind a warm-up.
 *
 * Dynamic imports name their module relatively or by an import-map name, as
 * static ones do, so they resolve where modules are fetched over https (Val
 * Town: valtown_test.ts). startup_test.ts checks that a start loads none of
 * what is lazy.
 */
import { type Context, type Env, Hono } from "hono";
import { routePath } from "hono/route";
import type { RouterRoute } from "hono/types";
import { outsideRequestContext } from "../pipedream/request_context.ts";

/** Something that loads later: `warm()` loads it now, and settles when it has (a failure is left for its use). */
export type Warmable = { warm(): Promise<void> };

export type Lazy<T> = Warmable & {
  /** The value, loaded by the first call. */
  (): Promise<T>;
};

export function lazy<T>(load: () => Promise<T>): Lazy<T> {
  let value: Promise<T> | undefined;
  const get = () =>
    value ??= outsideRequestContext(load).catch((err) => {
      value = undefined;
      throw err;
    });
  // A failed warm-up is left to the request that needs the value: it answers with the error.
  return Object.assign(get, { warm: () => get().then(() => {}, () => {}) });
}

/** How long no request must have come before a part is warmed. */
export const QUIET_MS = 50;

/**
 * Resolves once no request has come for `quietMs` (`lastRequest`: when the
 * latest came, as performance.now()), or when `signal` aborts.
 */
export async function untilQuiet(lastRequest: () => number, signal: AbortSignal, quietMs = QUIET_MS) {
  for (let wait = quietMs; wait > 0 && !signal.aborted; wait = lastRequest() + quietMs - performance.now()) {
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, wait);
      signal.addEventListener("abort", done);
    });
  }
}

/**
 * Loads each part in turn, each once requests have been quiet for a moment:
 * a module's code runs in one piece once loaded, and a request that comes
 * meanwhile waits for it, so warming goes when requests do not. Stops when
 * `signal` aborts.
 */
export async function warmWhenQuiet(
  parts: readonly Warmable[],
  lastRequest: () => number,
  signal: AbortSignal,
  quietMs = QUIET_MS,
): Promise<void> {
  for (const part of parts) {
    await untilQuiet(lastRequest, signal, quietMs);
    if (signal.aborted) return;
    await part.warm();
  }
}

/** How the app's context reaches the group's own: its variables (the request's origin, client address, user). */
type Carrier = { parent: Context };

/** The group has no route for the request: the app goes on looking. */
class NoRoute extends Error {}

/**
 * A route group loaded on its first request: `app.route("/x", lazyRoutes(() =>
 * import("./x.ts").then((m) => m.xRoutes(deps))))` serves what `xRoutes`
 * would, mounted at /x. What the app's middleware set on the request (c.var)
 * is set for the group's handlers, and the headers it set stay on the
 * response. Whatever the group throws goes on to the app's error handler; a
 * request it has no route for goes on to the app's next handler.
 */
export function lazyRoutes<E extends Env>(load: () => Promise<Hono<E>>): Hono<E> & Warmable {
  const routes = lazy(load);
  // The group, set up once where it is mounted.
  let host: Hono<E> | undefined;
  const hostFor = (c: Context<E>, group: Hono<E>) => {
    host = new Hono<E>();
    host.onError((err) => {
      throw err;
    });
    host.notFound(() => {
      throw new NoRoute();
    });
    host.use((c, next) => {
      const vars = (c.env as Carrier).parent.var as Record<string, unknown>;
      for (const [k, v] of Object.entries(vars)) (c.set as (key: string, value: unknown) => void)(k, v);
      return next();
    });
    // The path it is mounted at: the route that matched ("/x/*"), less its "/*".
    return host.route(routePath(c).replace(/\/\*$/, "") || "/", group);
  };
  const outer = new Hono<E>().all("*", async function lazyGroup(c, next) {
    const group = await routes();
    let res: Response;
    try {
      res = await (host ?? hostFor(c, group)).fetch(c.req.raw, { parent: c } satisfies Carrier);
    } catch (err) {
      if (err instanceof NoRoute) return next();
      throw err;
    }
    return c.newResponse(res.body, res);
  });
  GROUPS.set(outer.routes[0].handler, routes);
  return Object.assign(outer, { warm: routes.warm });
}

/** Each lazy group's handler, and its routes. */
// deno-lint-ignore no-explicit-any
const GROUPS = new WeakMap<object, Lazy<Hono<any>>>();

/**
 * Every route of `app` as if nothing were lazy: each lazy group is loaded and
 * its routes are listed at the path it is mounted at (for what reads an app's
 * route table, such as the trust suite).
 */
// deno-lint-ignore no-explicit-any
export async function everyRoute(app: Hono<any>): Promise<RouterRoute[]> {
  const out: RouterRoute[] = [];
  for (const route of app.routes) {
    const group = GROUPS.get(route.handler);
    if (!group) {
      out.push(route);
      continue;
    }
    const base = route.path.replace(/\/\*$/, "");
    for (const inner of (await group()).routes) {
      out.push({ ...inner, basePath: base, path: inner.path === "/" ? base || "/" : base + inner.path });
    }
  }
  return out;
}
