/**
 * Webhooks: verified, exactly-once ingestion of trigger and Connect events,
 * recovery of the events whose delivery never arrived, and the routes that
 * let each user read their own (through one live feed per instance).
 */
import type { Hono } from "hono";
import type { AppEnv, RouteDeps } from "../routes/types.ts";
import { eventRoutes } from "./events_api.ts";
import { GroupCommitter } from "../database/group_commit.ts";
import { TrimSchedule } from "../database/trim_schedule.ts";
import { LiveFeed, type LiveFeedOptions } from "./live_feed.ts";
import type { BodyTimeouts } from "./read_body.ts";
import { webhookReceiver } from "./receiver.ts";
import { retentionStatement } from "./store.ts";
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
): { routes: Hono; eventRoutes: Hono<AppEnv>; feed: LiveFeed } {
  // This process's name for its stream leases.
  const instance = crypto.randomUUID();
  const feed = new LiveFeed(deps.db, {
    ...opts.stream,
    maxStreams: deps.limits.streams.perInstance,
    maintain: () => renewLeases(deps.db, instance, deps.clock.now()),
  });
  return {
    routes: webhookReceiver({
      ...deps,
      committer: new GroupCommitter(deps.db),
      retention: new TrimSchedule(deps.config.eventsKeptPerDeployment, retentionStatement),
      log: opts.log ?? ((line) => console.warn(line)),
      bodyTimeouts: opts.bodyTimeouts,
    }),
    eventRoutes: eventRoutes(deps, feed, instance),
    feed,
  };
}
