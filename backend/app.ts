/**
 * The composition root: every dependency comes in, so tests build the real app
 * with an in-memory database and the sandbox, and nothing is mocked.
 */
import type { PipedreamClient } from "@pipedream/sdk";
import { type Context, Hono } from "hono";
import type { Config } from "./config.ts";
import type { Db } from "./database/db.ts";
import { handleErrors } from "./http/error_mapping.ts";
import { ApiError, errorResponse } from "./http/errors.ts";
import { createRateLimiter, DEFAULT_LIMITS, type Limits } from "./http/rate_limit.ts";
import { sameOriginJson } from "./http/same_origin.ts";
import { anonymousIdentity, type Identify, identityMiddleware } from "./http/identity.ts";
import { type Clock, systemClock } from "./lib/clock.ts";
import { ConnectTokenCache } from "./pipedream/connect_token_cache.ts";
import { createOwnershipCheck } from "./pipedream/ownership.ts";
import { runWithRequestContext } from "./pipedream/request_context.ts";
import { accountRoutes } from "./routes/accounts.ts";
import { actionRoutes, runRoutes } from "./routes/actions.ts";
import { connectTokenRoutes } from "./routes/connect_tokens.ts";
import { proxyRoutes } from "./routes/proxy.ts";
import { sdkCallRoutes } from "./routes/sdk_calls.ts";
import { sessionPayload, sessionRoutes } from "./routes/session.ts";
import { staticRoutes } from "./routes/static.ts";
import { triggerRoutes } from "./routes/triggers.ts";
import type { AppEnv, RouteDeps } from "./routes/types.ts";
import type { Sandbox } from "./sandbox/mod.ts";
import { createRecovery, createWebhooks, type Recovery } from "./webhooks/mod.ts";

export type AppDeps = {
  config: Config;
  db: Db;
  pipedream: PipedreamClient;
  sessionSecret: string;
  /** Who is asking (see http/identity.ts); default: an anonymous identity per browser, in a signed cookie. */
  identify?: Identify;
  clock?: Clock;
  /** Mounted at /sandbox when given (sandbox mode). */
  sandbox?: Sandbox;
  limits?: Partial<Limits>;
  tokenCache?: ConnectTokenCache;
  /** Default MAX_PROXY_RESPONSE_BYTES (routes/proxy.ts, 10 MB). */
  maxProxyResponseBytes?: number;
  /** Recovery of missed trigger events; the runtime shares one with its interval loop. */
  recovery?: Recovery;
  /** Operational lines: refused webhooks with their reason, recovery results (default: console). */
  log?: (line: string) => void;
};

export function createApp(deps: AppDeps): Hono<AppEnv> {
  const clock = deps.clock ?? systemClock;
  const appOrigin = (c: Context) => deps.config.appUrl ?? new URL(c.req.url).origin;
  const log = deps.log ?? ((line: string) => console.warn(line));
  const routeDeps: RouteDeps = {
    config: deps.config,
    db: deps.db,
    clock,
    pipedream: deps.pipedream,
    limits: { ...DEFAULT_LIMITS, ...deps.limits },
    spend: createRateLimiter(deps.db, clock),
    tokenCache: deps.tokenCache ?? new ConnectTokenCache(clock),
    ownership: createOwnershipCheck(deps.pipedream, clock),
    recovery: deps.recovery ?? createRecovery({ db: deps.db, pipedream: deps.pipedream, clock, log }),
    appOrigin,
    maxProxyResponseBytes: deps.maxProxyResponseBytes,
  };

  const identity = identityMiddleware(
    deps.identify ?? anonymousIdentity(() => Promise.resolve(deps.sessionSecret)),
  );
  const app = new Hono<AppEnv>();

  app.onError(handleErrors("app", errorResponse));
  app.notFound((c) =>
    errorResponse(c, new ApiError(404, "not_found", `No route for ${c.req.method} ${c.req.path}`))
  );

  if (deps.sandbox) app.route("/sandbox", deps.sandbox.app);

  const webhooks = createWebhooks(routeDeps, { log });
  app.route("/webhooks/pipedream", webhooks.routes);

  const api = new Hono<AppEnv>();
  api.use(async (c, next) => {
    c.header("Cache-Control", "no-store");
    await next();
  });
  api.use(sameOriginJson((url) => deps.config.appUrl ?? url.origin));
  api.use(identity);
  api.use((c, next) =>
    runWithRequestContext({ origin: appOrigin(c), externalUserId: c.get("externalUserId") }, () => next())
  );
  api.route("/session", sessionRoutes(routeDeps));
  api.route("/connect/token", connectTokenRoutes(routeDeps));
  api.route("/accounts", accountRoutes(routeDeps));
  api.route("/actions", actionRoutes(routeDeps));
  api.route("/runs", runRoutes(routeDeps));
  api.route("/triggers", triggerRoutes(routeDeps));
  api.route("/proxy", proxyRoutes(routeDeps));
  api.route("/events", webhooks.eventRoutes);
  api.route("/sdk-calls", sdkCallRoutes(routeDeps));
  app.route("/api", api);

  // The page gets the same identity as the API, so its first paint already
  // knows who the user is.
  app.use("/", identity);
  app.route(
    "/",
    staticRoutes({
      config: deps.config,
      initialData: (c) => ({ session: sessionPayload(routeDeps, c.get("externalUserId"), appOrigin(c)) }),
    }),
  );

  return app;
}
