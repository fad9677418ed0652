/**
 * The composition root: every dependency comes in, so tests build the real app
 * with an in-memory database and the sandbox, and nothing is mocked.
 *
 * Every request meets, in order: the host check (the app's origin is
 * configuration, http/origin.ts), its client address (http/client_address.ts)
 * and a poke of housekeeping; then the webhook routes (which read their own
 * bodies under the same cap), or the body cap (http/body_limit.ts) and the
 * rest; /api adds the same-origin check and the session.
 */
import type { PipedreamClient } from "@pipedream/sdk";
import { type Context, Hono } from "hono";
import { TrieRouter } from "hono/router/trie-router";
import type { Config } from "./config.ts";
import type { Db } from "./database/db.ts";
import type { Housekeeping } from "./database/housekeeping.ts";
import { bodyLimit, MAX_JSON_BODY_BYTES } from "./http/body_limit.ts";
import { clientAddress } from "./http/client_address.ts";
import { handleErrors } from "./http/error_mapping.ts";
import { ApiError, errorResponse } from "./http/errors.ts";
import { hostGuard, type Origins } from "./http/origin.ts";
import { createLimiter, createRateLimiter, type LimitOverrides, resolveLimits } from "./http/rate_limit.ts";
import { sameOriginJson } from "./http/same_origin.ts";
import { type Identify, identityMiddleware } from "./http/identity.ts";
import { anonymousSessions, NO_SESSION_MESSAGE } from "./http/session.ts";
import { type Clock, systemClock } from "./lib/clock.ts";
import { projectEnvironmentFor } from "./pipedream/client.ts";
import { ConnectTokenCache } from "./pipedream/connect_token_cache.ts";
import { createOwnershipCheck } from "./pipedream/ownership.ts";
import { runWithRequestContext } from "./pipedream/request_context.ts";
import { loadSdk } from "./pipedream/sdk.ts";
import { lazyRoutes, untilQuiet, type Warmable, warmWhenQuiet } from "./lib/lazy.ts";
import { sessionPayload, sessionRoutes } from "./routes/session.ts";
import { staticRoutes } from "./routes/static.ts";
import type { AppEnv, RouteDeps } from "./routes/types.ts";
import type { Sandbox } from "./sandbox/mod.ts";
import type { LiveFeed, LiveFeedOptions } from "./webhooks/live_feed.ts";
import type { DeliveryJournal } from "./webhooks/delivery_journal.ts";
import { createRecovery, createWebhooks, DeploymentCache, type Recovery } from "./webhooks/mod.ts";

export type AppDeps = {
  config: Config;
  db: Db;
  pipedream: PipedreamClient;
  /** The origins the app answers on (createRuntime: APP_URL, or where it listens). */
  origins: Origins;
  /** Who is asking (see http/identity.ts); default: an anonymous server-side session per browser. */
  identify?: Identify;
  clock?: Clock;
  /** Mounted at /sandbox when given (sandbox mode). */
  sandbox?: Sandbox;
  limits?: LimitOverrides;
  tokenCache?: ConnectTokenCache;
  /** Default MAX_PROXY_RESPONSE_BYTES (routes/proxy.ts, 10 MB). */
  maxProxyResponseBytes?: number;
  /** Recovery of missed trigger events; the runtime shares one with its interval loop. */
  recovery?: Recovery;
  /** Operational lines: refused webhooks with their reason, recovery results (default: console). */
  log?: (line: string) => void;
  /** Started by requests (and by createRuntime at start). */
  housekeeping?: Housekeeping;
  /** The live feed's timing (tests shorten it). */
  stream?: Omit<LiveFeedOptions, "maxStreams" | "maintain">;
  /** How long a body may stall, and take in all (defaults in http/body_limit.ts). */
  bodyTimeouts?: { idleMs?: number; totalMs?: number };
  /** Where trigger deliveries are written before they are acknowledged (webhooks/delivery_journal.ts). */
  deliveryJournal?: DeliveryJournal;
};

/** A Hono app, and the live feed that serves its event streams. */
export type App = Hono<AppEnv> & {
  liveFeed: LiveFeed;
  /** Settles after the first response, once requests are quiet (the runtime starts its background work then). */
  firstResponse: Promise<void>;
  /** Stops warming up, and closes the live feed. */
  close(): Promise<void>;
};

/** Bodies other than the API's and webhooks' (the page, assets) are tiny or absent. */
const OTHER_BODY_BYTES = 16 * 1024;

/** The sandbox's "send a test event", for a user of this app (sandbox mode is the development environment). */
const testEventsIn = (sandbox: Sandbox, config: Config) => (id: string, externalUserId: string) =>
  sandbox.emitTestEvent({ environment: projectEnvironmentFor(config), externalUserId }, id);

export function createApp(deps: AppDeps): App {
  const clock = deps.clock ?? systemClock;
  const limits = resolveLimits(deps.limits);
  const spend = createRateLimiter(deps.db, clock);
  const secure = () => deps.origins()[0].startsWith("https:");
  // Anonymous sessions unless the app is given a login (identify).
  const sessions = deps.identify ? undefined : anonymousSessions({ db: deps.db, clock, secure });
  const identify = deps.identify ?? sessions!.identify;
  /** `optional`: where anonymous sessions let a request go on without one (a login never does). */
  const identity = (optional: (c: Context) => boolean) =>
    identityMiddleware(identify, sessions ? { optional, message: NO_SESSION_MESSAGE } : {});
  const log = deps.log ?? ((line: string) => console.warn(line));
  const routeDeps: RouteDeps = {
    config: deps.config,
    db: deps.db,
    clock,
    pipedream: deps.pipedream,
    limits,
    spend,
    limit: createLimiter(deps.db, clock, limits),
    tokenCache: deps.tokenCache ?? new ConnectTokenCache(clock),
    ownership: createOwnershipCheck(deps.pipedream, clock),
    recovery: deps.recovery ?? createRecovery({
      db: deps.db,
      pipedream: deps.pipedream,
      clock,
      log,
      keepEvents: deps.config.eventsKeptPerDeployment,
      deliveriesSettled: deps.deliveryJournal && (() => deps.deliveryJournal!.settled()),
    }),
    deployments: new DeploymentCache(deps.db, clock),
    maxProxyResponseBytes: deps.maxProxyResponseBytes,
    sessions,
    origins: deps.origins,
    appOrigin: (c) => c.get("origin"),
    ...(deps.sandbox ? { testEvents: { emit: testEventsIn(deps.sandbox, deps.config) } } : {}),
  };

  // What loads on first use (lib/lazy.ts), in the order it is warmed after the first response.
  const lazyParts: Warmable[] = [loadSdk];
  const later = (load: () => Promise<Hono<AppEnv>>) => {
    const routes = lazyRoutes(load);
    lazyParts.push(routes);
    return routes;
  };
  // After the first response, once requests are quiet: the runtime's background work, then the warm-up.
  const warming = new AbortController();
  let warmed: Promise<void> | undefined;
  let lastRequest = 0;
  let firstAnswered!: () => void;
  const firstResponse = new Promise<void>((resolve) => (firstAnswered = resolve));

  // A trie router is ready as routes are added; Hono's default compiles them all into one expression at the
  // first request, a few milliseconds of every cold start, to match each later request under a µs sooner.
  const app = new Hono<AppEnv>({ router: new TrieRouter() });
  app.onError(handleErrors("app", errorResponse));
  app.use((_c, next) => {
    lastRequest = performance.now();
    if (warmed) return next();
    const answered = next();
    warmed = answered.then(async () => {
      await untilQuiet(() => lastRequest, warming.signal);
      if (warming.signal.aborted) return;
      firstAnswered();
      await warmWhenQuiet(lazyParts, () => lastRequest, warming.signal);
    });
    return answered;
  });
  app.notFound((c) =>
    errorResponse(c, new ApiError(404, "not_found", `No route for ${c.req.method} ${c.req.path}`))
  );

  // Before routing: Deno builds the routed path from the Host header.
  app.use(hostGuard(deps.origins));
  app.use(async (c, next) => {
    c.set("clientAddress", clientAddress(c, deps.config.trustProxyHops));
    deps.housekeeping?.poke();
    await next();
  });
  // Signed webhook routes come from Pipedream: no per-address limits there. Mounted before the body cap: the
  // receiver reads its own bodies through the same cap and timeouts (webhooks/read_body.ts), cheaper than a
  // rebuilt request per event, and a delivery meets no middleware it does not need.
  const webhooks = createWebhooks(routeDeps, {
    log,
    stream: deps.stream,
    bodyTimeouts: deps.bodyTimeouts,
    journal: deps.deliveryJournal,
  });
  app.route("/webhooks/pipedream", webhooks.routes);

  // The sandbox caps its own bodies (it is also served on its own).
  app.use(bodyLimit((path) =>
    path.startsWith("/sandbox/") ? undefined : {
      ...deps.bodyTimeouts,
      maxBytes: path.startsWith("/api/") ? MAX_JSON_BODY_BYTES : OTHER_BODY_BYTES,
    }
  ));

  if (deps.sandbox) app.route("/sandbox", deps.sandbox.app);

  const api = new Hono<AppEnv>();
  api.use(async (c, next) => {
    c.header("Cache-Control", "no-store");
    await next();
  });
  api.use(sameOriginJson((c) => c.get("origin")));
  // "Who am I" and "start a session" answer a browser that has none yet.
  api.use(identity((c) => c.req.path === "/api/session"));
  api.use((c, next) =>
    runWithRequestContext({ origin: c.get("origin"), externalUserId: c.get("externalUserId") }, () => next())
  );
  // Reading the session is served from start; every other route group loads on first use (lib/lazy.ts).
  api.route("/session", sessionRoutes(routeDeps));
  api.route(
    "/session",
    later(() => import("./routes/session_changes.ts").then((m) => m.sessionChangeRoutes(routeDeps))),
  );
  api.route(
    "/connect/token",
    later(() => import("./routes/connect_tokens.ts").then((m) => m.connectTokenRoutes(routeDeps))),
  );
  api.route("/accounts", later(() => import("./routes/accounts.ts").then((m) => m.accountRoutes(routeDeps))));
  api.route("/actions", later(() => import("./routes/actions.ts").then((m) => m.actionRoutes(routeDeps))));
  api.route("/runs", later(() => import("./routes/actions.ts").then((m) => m.runRoutes(routeDeps))));
  api.route("/triggers", later(() => import("./routes/triggers.ts").then((m) => m.triggerRoutes(routeDeps))));
  api.route("/proxy", later(() => import("./routes/proxy.ts").then((m) => m.proxyRoutes(routeDeps))));
  api.route("/events", webhooks.eventRoutes);
  lazyParts.push(webhooks.eventRoutes);
  api.route(
    "/sdk-calls",
    later(() => import("./routes/sdk_calls.ts").then((m) => m.sdkCallRoutes(routeDeps))),
  );
  app.route("/api", api);
  if (deps.sandbox) lazyParts.push(deps.sandbox);
  lazyParts.push(webhooks.routes);

  // The page knows at first paint who the user is, or that there is no session yet (it never makes one).
  app.use("/", identity(() => true));
  app.route(
    "/",
    staticRoutes({
      config: deps.config,
      initialData: (c) => ({
        session: sessionPayload(routeDeps, c.get("externalUserId") ?? null, c.get("origin")),
      }),
    }),
  );

  return Object.assign(app, {
    liveFeed: webhooks.feed,
    firstResponse,
    async close() {
      warming.abort();
      await warmed;
      await webhooks.feed.close();
    },
  });
}
