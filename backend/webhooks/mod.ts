/**
 * Webhooks: verified, exactly-once ingestion of trigger and Connect events,
 * recovery of the events whose delivery never arrived, and the routes that
 * let each user read their own (through one live feed per instance).
 */
import { Hono } from "hono";
import { lazy, lazyRoutes, type Warmable } from "../lib/lazy.ts";
import type { AppEnv, RouteDeps } from "../routes/types.ts";
import { LiveFeed, type LiveFeedOptions } from "./live_feed.ts";
import type { BodyTimeouts } from "./read_body.ts";
import type { DeliveryJournal } from "./delivery_journal.ts";
import { renewLeases } from "./stream_leases.ts";
import { Refusal, webhookErrors, webhookNote } from "./refusals.ts";

export { webhookMigrations } from "./schema.ts";
export { createRecovery, type Recovery, startRecoveryLoop } from "./recovery.ts";
export { DeploymentCache } from "./deployment_cache.ts";

export type WebhookOptions = {
  /** The live feed's timing (tests shorten it); its stream cap comes from the limits. */
  stream?: Omit<LiveFeedOptions, "maxStreams" | "maintain">;
  /** Where refused and ignored webhooks are logged (default: console.warn). */
  log?: (line: string) => void;
  /** How long a delivery's body may stall or take (tests shorten them; http/body_limit.ts). */
  bodyTimeouts?: BodyTimeouts;
  /** Where deliveries are written before they are acknowledged (a file database's); else the group commit. */
  journal?: DeliveryJournal;
};

export function createWebhooks(
  deps: RouteDeps,
  opts: WebhookOptions = {},
): { routes: Hono & Warmable; eventRoutes: Hono<AppEnv> & Warmable; feed: LiveFeed } {
  // This process's name for its stream leases.
  const instance = crypto.randomUUID();
  const feed = new LiveFeed(deps.db, {
    ...opts.stream,
    maxStreams: deps.limits.streams.perInstance,
    maintain: () => renewLeases(deps.db, instance, deps.clock.now()),
  });
  // The receiver and the event routes load on first use (lib/lazy.ts): no start needs them.
  return {
    routes: webhookRoutes(deps, opts),
    eventRoutes: lazyRoutes(() => import("./events_api.ts").then((m) => m.eventRoutes(deps, feed, instance))),
    feed,
  };
}

/**
 * The routes Pipedream calls, registered with the app (Hono flattens them
 * into its own table: a delivery meets one router and one handler), and
 * their handlers loaded on first use (receiver.ts): no start needs them.
 */
function webhookRoutes(deps: RouteDeps, opts: WebhookOptions): Hono & Warmable {
  const note = webhookNote(opts.log ?? ((line) => console.warn(line)));
  const handlers = lazy(async () => {
    const [
      { webhookHandlers },
      { GroupCommitter },
      { TrimSchedule },
      { retentionStatement },
      { deliveryStore },
    ] = await Promise.all([
      import("./receiver.ts"),
      import("../database/group_commit.ts"),
      import("../database/trim_schedule.ts"),
      import("./store.ts"),
      import("./delivery_store.ts"),
    ]);
    const committer = new GroupCommitter(deps.db);
    const retention = new TrimSchedule(deps.config.eventsKeptPerDeployment, retentionStatement);
    return webhookHandlers({
      ...deps,
      committer,
      storeDelivery: deliveryStore({ journal: opts.journal, committer, retention }),
      note,
      bodyTimeouts: opts.bodyTimeouts,
    });
  });
  const app = new Hono();
  app.onError(webhookErrors(note));
  app.post("/triggers", async (c) => (await handlers()).triggers(c));
  app.post("/connect", () => {
    throw new Refusal(
      404,
      "not_found",
      "Connect webhooks go to the URL the app gave when it minted the token",
      "no secret in the URL",
    );
  });
  app.post("/connect/:secret", async (c) => (await handlers()).connect(c));
  return Object.assign(app, { warm: handlers.warm });
}
