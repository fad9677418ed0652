/**
 * The sandbox: a local, contract-faithful emulator of the Pipedream Connect
 * API. Mounted by the app at /sandbox when no credentials are set, or served
 * on its own port. State lives in the app's database (`sandbox_` tables).
 *
 * This module composes it: the project segment of paths is stripped, the
 * route groups (routes/, one per resource) are mounted, every error is
 * rendered once in Pipedream's shape, and background work (timer triggers,
 * webhook deliveries) runs on a tick.
 */
import { Hono } from "hono";
import type { Db } from "../database/db.ts";
import { bodyLimit } from "../http/body_limit.ts";
import { handleErrors } from "../http/error_mapping.ts";
import { type Clock, systemClock } from "../lib/clock.ts";
import { Answers } from "./answers.ts";
import { createGuards } from "./auth.ts";
import { createComponentContext } from "./component_calls.ts";
import { SANDBOX_CREDENTIALS } from "./credentials.ts";
import { Deliveries } from "./deliveries.ts";
import { createDestinations } from "./destinations.ts";
import { Faults, throttled } from "./faults.ts";
import {
  notFound,
  PipedreamApiError,
  pipedreamErrorBody,
  pipedreamErrorResponse,
  type SandboxEnv,
} from "./http.ts";
import { accountRoutes } from "./routes/accounts.ts";
import { actionRoutes } from "./routes/actions.ts";
import { adminRoutes } from "./routes/admin.ts";
import { appRoutes } from "./routes/apps.ts";
import { componentRoutes } from "./routes/components.ts";
import { connectPageRoutes } from "./routes/connect_page.ts";
import { deployedTriggerRoutes } from "./routes/deployed_triggers.ts";
import { oauthRoutes } from "./routes/oauth.ts";
import { projectInfoRoutes, projectWebhookRoutes } from "./routes/project.ts";
import { PROXY_LIMITS, type ProxyLimits, proxyRoutes } from "./routes/proxy.ts";
import { tokenRoutes } from "./routes/tokens.ts";
import { triggerRoutes } from "./routes/triggers.ts";
import type { SandboxDeps } from "./routes/types.ts";
import { userRoutes } from "./routes/users.ts";
import { expireSandboxRows } from "./store.ts";
import type { Owner } from "./environment.ts";
import { emitTestEvent } from "./test_events.ts";
import { runDueTimers } from "./timers.ts";

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
  const destinations = createDestinations(opts.appOrigins);
  const faults = new Faults();
  const deliveries = new Deliveries(
    db,
    clock,
    destinations.guardFetch(opts.fetch ?? ((input, init) => fetch(input, init))),
    opts.deliveryRetryDelaysMs ?? [1000, 2000, 4000, 8000, 16000, 32000, 64000],
    faults,
  );
  const answers = new Answers();
  const deps: SandboxDeps = {
    db,
    clock,
    deliveries,
    faults,
    answers,
    guards: createGuards(db, clock),
    context: createComponentContext({ db, clock, deliveries }),
    clientSecret: opts.clientSecret ?? SANDBOX_CREDENTIALS.clientSecret,
    proxyLimits: { ...PROXY_LIMITS, ...opts.proxyLimits },
    destinations,
  };

  const inner = new Hono<SandboxEnv>();
  inner.onError(handleErrors("sandbox", pipedreamErrorResponse));
  inner.use(async (c, next) => {
    c.set("base", (c.env as { base?: string } | undefined)?.base ?? new URL(c.req.url).origin);
    await next();
  });
  // Faults apply before anything else, as an overloaded upstream would.
  inner.use("/v1/*", async (c, next) => {
    const f = faults.take(c.req.method, c.req.path);
    if (!f) return next();
    if (f.delayMs) await new Promise((r) => setTimeout(r, f.delayMs));
    if (!f.status) return next();
    if (f.status === 429) throw throttled(f.retryAfter ?? 1, clock.now());
    throw new PipedreamApiError(
      f.status,
      "Upstream failure (sandbox fault)",
      undefined,
      f.retryAfter !== undefined ? { "Retry-After": String(f.retryAfter) } : {},
    );
  });
  // One group per prefix: a group's guards (its middleware) then apply to it alone.
  inner.route("/v1/oauth", oauthRoutes(deps));
  inner.route("/v1/connect/tokens", tokenRoutes(deps));
  inner.route("/v1/connect/accounts", accountRoutes(deps));
  inner.route("/v1/connect/apps", appRoutes(deps));
  inner.route("/v1/connect/users", userRoutes(deps));
  inner.route("/v1/connect/components", componentRoutes(deps, "components"));
  inner.route("/v1/connect/actions", actionRoutes(deps));
  inner.route("/v1/connect/triggers", triggerRoutes(deps));
  inner.route("/v1/connect/deployed-triggers", deployedTriggerRoutes(deps));
  inner.route("/v1/connect/webhook", projectWebhookRoutes(deps));
  inner.route("/v1/connect/projects", projectInfoRoutes(deps));
  inner.route("/v1/connect/proxy", proxyRoutes(deps));
  inner.route("/_static", connectPageRoutes(deps));
  inner.route("/admin", adminRoutes(deps));
  inner.all("*", (c) => {
    throw notFound(`No sandbox route for ${c.req.method} ${c.req.path}`);
  });

  // The outer app fixes up paths, then hands over with the public base URL
  // (links the sandbox returns must point at where it is mounted).
  const app = new Hono();
  app.onError(handleErrors("sandbox", pipedreamErrorResponse));
  // Every body is capped while it streams, the unauthenticated routes tightest.
  app.use(bodyLimit((path) => {
    const rel = mountPath && path.startsWith(mountPath) ? path.slice(mountPath.length) : path;
    return { maxBytes: /^\/(v1\/oauth\/|_static\/)/.test(rel) ? UNAUTHENTICATED_BODY_BYTES : MAX_BODY_BYTES };
  }));
  app.all("*", (c) => {
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
    return inner.fetch(new Request(url, init), env);
  });

  let timer: ReturnType<typeof setInterval> | undefined;
  let tickRunning: Promise<void> | undefined;
  let lastExpiry = -Infinity;
  const runTimers = () => runDueTimers({ db, clock, deliveries });

  async function tick() {
    if (tickRunning) return;
    tickRunning = (async () => {
      try {
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
    start() {
      if (timer === undefined) timer = setInterval(tick, opts.tickMs ?? 500);
    },
    async close() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      await tickRunning;
      await deliveries.close();
    },
    flushDeliveries: () => deliveries.kick(),
    runTimers,
    expire: () => expireSandboxRows(db, clock.now()),
    emitTestEvent: (owner, id) => emitTestEvent(deps, owner, id),
  };
}
