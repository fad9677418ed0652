/**
 * The sandbox's API: its route groups (routes/, one per resource), what they
 * share (webhook deliveries, the guards, the component context), and the work
 * that needs the catalog's apps (timer triggers, test events). mod.ts builds
 * it on first use (lib/lazy.ts): a start creates the sandbox's tables and
 * nothing more.
 */
import { Hono } from "hono";
import { handleErrors } from "../http/error_mapping.ts";
import type { Clock } from "../lib/clock.ts";
import type { Answers } from "./answers.ts";
import { createGuards } from "./auth.ts";
import { createComponentContext } from "./component_calls.ts";
import { SANDBOX_CREDENTIALS } from "./credentials.ts";
import { Deliveries } from "./deliveries.ts";
import { createDestinations } from "./destinations.ts";
import { type Faults, throttled } from "./faults.ts";
import { notFound, PipedreamApiError, pipedreamErrorResponse, type SandboxEnv } from "./http.ts";
import type { SandboxOptions } from "./mod.ts";
import { accountRoutes } from "./routes/accounts.ts";
import { actionRoutes } from "./routes/actions.ts";
import { adminRoutes } from "./routes/admin.ts";
import { appRoutes } from "./routes/apps.ts";
import { componentRoutes } from "./routes/components.ts";
import { connectPageRoutes } from "./routes/connect_page.ts";
import { deployedTriggerRoutes } from "./routes/deployed_triggers.ts";
import { oauthRoutes } from "./routes/oauth.ts";
import { projectInfoRoutes, projectWebhookRoutes } from "./routes/project.ts";
import { PROXY_LIMITS, proxyRoutes } from "./routes/proxy.ts";
import { tokenRoutes } from "./routes/tokens.ts";
import { triggerRoutes } from "./routes/triggers.ts";
import type { SandboxDeps } from "./routes/types.ts";
import { userRoutes } from "./routes/users.ts";
import type { Owner } from "./environment.ts";
import { emitTestEvent } from "./test_events.ts";
import { runDueTimers } from "./timers.ts";

export type SandboxApi = {
  /** The routes, at Pipedream's paths (mod.ts strips the mount path and the project segment first). */
  app: Hono<SandboxEnv>;
  deliveries: Deliveries;
  runTimers(): Promise<void>;
  emitTestEvent(owner: Owner, deployedTriggerId: string): Promise<{ summary: string }>;
};

export function createSandboxApi(
  opts: SandboxOptions & { clock: Clock; faults: Faults; answers: Answers },
): SandboxApi {
  const { db, clock, faults } = opts;
  const destinations = createDestinations(opts.appOrigins);
  const deliveries = new Deliveries(
    db,
    clock,
    destinations.guardFetch(opts.fetch ?? ((input, init) => fetch(input, init))),
    opts.deliveryRetryDelaysMs ?? [1000, 2000, 4000, 8000, 16000, 32000, 64000],
    faults,
  );
  const deps: SandboxDeps = {
    db,
    clock,
    deliveries,
    faults,
    answers: opts.answers,
    guards: createGuards(db, clock),
    context: createComponentContext({ db, clock, deliveries }),
    clientSecret: opts.clientSecret ?? SANDBOX_CREDENTIALS.clientSecret,
    proxyLimits: { ...PROXY_LIMITS, ...opts.proxyLimits },
    destinations,
  };

  const app = new Hono<SandboxEnv>();
  app.onError(handleErrors("sandbox", pipedreamErrorResponse));
  app.use(async (c, next) => {
    c.set("base", (c.env as { base?: string } | undefined)?.base ?? new URL(c.req.url).origin);
    await next();
  });
  // Faults apply before anything else, as an overloaded upstream would.
  app.use("/v1/*", async (c, next) => {
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
  app.route("/v1/oauth", oauthRoutes(deps));
  app.route("/v1/connect/tokens", tokenRoutes(deps));
  app.route("/v1/connect/accounts", accountRoutes(deps));
  app.route("/v1/connect/apps", appRoutes(deps));
  app.route("/v1/connect/users", userRoutes(deps));
  app.route("/v1/connect/components", componentRoutes(deps, "components"));
  app.route("/v1/connect/actions", actionRoutes(deps));
  app.route("/v1/connect/triggers", triggerRoutes(deps));
  app.route("/v1/connect/deployed-triggers", deployedTriggerRoutes(deps));
  app.route("/v1/connect/webhook", projectWebhookRoutes(deps));
  app.route("/v1/connect/projects", projectInfoRoutes(deps));
  app.route("/v1/connect/proxy", proxyRoutes(deps));
  app.route("/_static", connectPageRoutes(deps));
  app.route("/admin", adminRoutes(deps));
  app.all("*", (c) => {
    throw notFound(`No sandbox route for ${c.req.method} ${c.req.path}`);
  });

  return {
    app,
    deliveries,
    runTimers: () => runDueTimers({ db, clock, deliveries }),
    emitTestEvent: (owner, id) => emitTestEvent(deps, owner, id),
  };
}
