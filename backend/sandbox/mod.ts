/**
 * The sandbox: a local, contract-faithful emulator of the Pipedream Connect
 * API. Mounted by the app at /sandbox when no credentials are set, or served
 * on its own port. State lives in the app's database (`sandbox_` tables).
 *
 * This module composes it: the project segment of paths is stripped, every
 * error is rendered once in Pipedream's shape, and background work (timer
 * triggers, webhook deliveries) runs on a tick. The route groups (routes/,
 * one per resource) are mounted by api.ts, loaded on first use.
 */
import { Hono } from "hono";
import type { Db } from "../database/db.ts";
import { bodyLimit } from "../http/body_limit.ts";
import { handleErrors } from "../http/error_mapping.ts";
import { type Clock, systemClock } from "../lib/clock.ts";
import { lazy } from "../lib/lazy.ts";
import { Answers } from "./answers.ts";
import type { SandboxApi } from "./api.ts";
import { SANDBOX_CREDENTIALS } from "./credentials.ts";
import type { Owner } from "./environment.ts";
import { Faults } from "./faults.ts";
import { pipedreamErrorBody, pipedreamErrorResponse } from "./http.ts";
import type { ProxyLimits } from "./routes/proxy.ts";
import { expireSandboxRows } from "./store.ts";

export type SandboxOptions = {
  db: Db;
  clock?: Clock;
  /** Used for webhook deliveries (trigger events, Connect webhooks). */
  fetch?: typeof fetch;
  /** "/sandbox" when mounted in the app (default), "" when served standalone. */
  mountPath?: string;
  /** Backoff between delivery attempts when the `retry` delivery fault is on (one attempt otherwise). */
  deliveryRetryDelaysMs?: number[];
  /** How often background work (deliveries due for retry, timer triggers) runs. */
  tickMs?: number;
  /**
   * The client secret its OAuth endpoint accepts. The app passes one generated
   * per installation, so a public sandbox-mode deployment does not hand
   * server access (every user's sandbox data) to anyone who reads this code;
   * standalone sandboxes (tests) default to the well-known one.
   */
  clientSecret?: string;
  /** The Connect proxy's limits (default: 30 s as documented, 10 MB); tests shorten them. */
  proxyLimits?: Partial<ProxyLimits>;
  /**
   * The origins of the app this sandbox is embedded in: webhooks and Connect
   * redirects go nowhere else (destinations.ts). Unset: anywhere, as Pipedream.
   */
  appOrigins?: () => readonly string[];
};

export type Sandbox = {
  app: Hono;
  /** Loads the routes and the catalog's apps (lib/lazy.ts). */
  warm(): Promise<void>;
  start(): void;
  close(): Promise<void>;
  flushDeliveries(): Promise<void>;
  /** Runs every timer trigger that is due now (tests call it instead of waiting). */
  runTimers(): Promise<void>;
  /** Deletes what the sandbox no longer needs (run on its tick once a minute). */
  expire(): Promise<void>;
  faults: Faults;
  answers: Answers;
  /** Makes a deployed trigger's app emit a sample event (sandbox only; see test_events.ts). */
  emitTestEvent(owner: Owner, deployedTriggerId: string): Promise<{ summary: string }>;
};

/** Bodies of the routes anyone may call (the token grant, the Connect page's posts). */
const UNAUTHENTICATED_BODY_BYTES = 16 * 1024;
/** Every other body: a component call's props, a proxied request. */
const MAX_BODY_BYTES = 1024 * 1024;

/** The resources under /v1/connect/ (a path that starts with one has no project segment). */
const RESOURCES = new Set([
  "tokens",
  "accounts",
  "apps",
  "users",
  "components",
  "actions",
  "triggers",
  "deployed-triggers",
  "webhook",
  "projects",
  "proxy",
]);

/**
 * Strips the project segment: the server SDK calls `/v1/connect/{project}/x`,
 * the browser SDK (whose project id is empty) `/v1/connect//x`.
 * Returns undefined for another project's id.
 */
export function normalizePath(path: string): string | undefined {
  const m = path.match(/^\/v1\/connect\/([^/]*)(\/.*)?$/);
  if (!m) return path;
  const [, first, rest = ""] = m;
  if (RESOURCES.has(first)) return path;
  if (first === "" || first === SANDBOX_CREDENTIALS.projectId) return `/v1/connect${rest}`;
  return undefined;
}

export function createSandbox(opts: SandboxOptions): Sandbox {
  const db = opts.db;
  const clock = opts.clock ?? systemClock;
  const mountPath = opts.mountPath ?? "/sandbox";
  const faults = new Faults();
  const answers = new Answers();
  // The routes and the catalog's apps load on first use (lib/lazy.ts); the switches are on from the start.
  let loaded: SandboxApi | undefined;
  const api = lazy(() =>
    import("./api.ts").then((m) => (loaded = m.createSandboxApi({ ...opts, clock, faults, answers })))
  );

  // This app fixes up paths, then hands over to the API with the public base
  // URL (links the sandbox returns must point at where it is mounted).
  const app = new Hono();
  app.onError(handleErrors("sandbox", pipedreamErrorResponse));
  // Every body is capped while it streams, the unauthenticated routes tightest.
  app.use(bodyLimit((path) => {
    const rel = mountPath && path.startsWith(mountPath) ? path.slice(mountPath.length) : path;
    return { maxBytes: /^\/(v1\/oauth\/|_static\/)/.test(rel) ? UNAUTHENTICATED_BODY_BYTES : MAX_BODY_BYTES };
  }));
  app.all("*", async (c) => {
    const url = new URL(c.req.url);
    let path = url.pathname;
    if (mountPath && path.startsWith(mountPath)) path = path.slice(mountPath.length) || "/";
    const normalized = normalizePath(path.replace(/\/{3,}/g, "//"));
    if (normalized === undefined) return c.json(pipedreamErrorBody("Project not found", "not_found"), 404);
    url.pathname = normalized;
    const env = { base: `${new URL(c.req.url).origin}${mountPath}` };
    // Copy method, headers and body but not the signal: reading an incoming
    // request's signal opts Deno.serve into its legacy abort behaviour.
    const raw = c.req.raw;
    const init: RequestInit & { duplex?: "half" } = { method: raw.method, headers: raw.headers };
    if (raw.body) {
      init.body = raw.body;
      init.duplex = "half";
    }
    return (await api()).app.fetch(new Request(url, init), env);
  });

  let timer: ReturnType<typeof setInterval> | undefined;
  let tickRunning: Promise<void> | undefined;
  let lastExpiry = -Infinity;

  async function tick() {
    if (tickRunning) return;
    tickRunning = (async () => {
      try {
        const { runTimers, deliveries } = await api();
        await runTimers();
        await deliveries.kick();
        if (clock.now() - lastExpiry >= 60_000) {
          lastExpiry = clock.now();
          await expireSandboxRows(db, clock.now());
        }
      } catch (err) {
        console.error("sandbox background work failed:", (err as Error).message);
      } finally {
        tickRunning = undefined;
      }
    })();
    await tickRunning;
  }

  return {
    app,
    faults,
    answers,
    warm: api.warm,
    start() {
      if (timer === undefined) timer = setInterval(tick, opts.tickMs ?? 500);
    },
    async close() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      await tickRunning;
      await loaded?.deliveries.close();
    },
    flushDeliveries: async () => (await api()).deliveries.kick(),
    runTimers: async () => (await api()).runTimers(),
    expire: () => expireSandboxRows(db, clock.now()),
    emitTestEvent: async (owner, id) => (await api()).emitTestEvent(owner, id),
  };
}
