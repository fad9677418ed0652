/**
 * Webhooks: verified, exactly-once ingestion of trigger and Connect events,
 * recovery of the events whose delivery never arrived, and the routes that
 * let each user read their own.
 */
import type { Hono } from "hono";
import type { AppEnv, RouteDeps } from "../routes/types.ts";
import { eventRoutes, type StreamOptions } from "./events_api.ts";
import { GroupCommitter } from "./group_commit.ts";
import { webhookReceiver } from "./receiver.ts";

export { webhookMigrations } from "./schema.ts";
export { createRecovery, type Recovery, startRecoveryLoop } from "./recovery.ts";

export type WebhookOptions = {
  stream?: StreamOptions;
  /** Where refused and ignored webhooks are logged (default: console.warn). */
  log?: (line: string) => void;
};

export function createWebhooks(
  deps: RouteDeps,
  opts: WebhookOptions = {},
): { routes: Hono; eventRoutes: Hono<AppEnv> } {
  return {
    routes: webhookReceiver({
      ...deps,
      committer: new GroupCommitter(deps.db),
      log: opts.log ?? ((line) => console.warn(line)),
    }),
    eventRoutes: eventRoutes(deps, opts.stream),
  };
}
