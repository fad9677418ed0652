/**
 * Webhooks: verified, exactly-once ingestion of trigger and Connect events,
 * recovery of the events whose delivery never arrived, and the routes that
 * let each user read their own (through one live feed per instance).
 */
import type { Hono } from "hono";
import { lazyRoutes, type Warmable } from "../lib/lazy.ts";
import type { AppEnv, RouteDeps } from "../routes/types.ts";
import { LiveFeed, type LiveFeedOptions } from "./live_feed.ts";
import type { BodyTimeouts } from "./read_body.ts";
import { renewLeases } from "./stream_leases.ts";

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
    routes: lazyRoutes(async () => {
      const [{ webhookReceiver }, { GroupCommitter }, { TrimSchedule }, { retentionStatement }] =
        await Promise.all([
          import("./receiver.ts"),
          import("../database/group_commit.ts"),
          import("../database/trim_schedule.ts"),
          import("./store.ts"),
        ]);
      return webhookReceiver({
        ...deps,
        committer: new GroupCommitter(deps.db),
        retention: new TrimSchedule(deps.config.eventsKeptPerDeployment, retentionStatement),
        log: opts.log ?? ((line) => console.warn(line)),
        bodyTimeouts: opts.bodyTimeouts,
      });
    }),
    eventRoutes: lazyRoutes(() => import("./events_api.ts").then((m) => m.eventRoutes(deps, feed, instance))),
    feed,
  };
}
