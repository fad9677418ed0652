/**
 * Webhooks: verified, exactly-once ingestion of trigger and Connect events,
 * and the routes that let each user read their own.
 */
import type { Hono } from "hono";
import type { AppEnv, RouteDeps } from "../routes/types.ts";
import { eventRoutes, type StreamOptions } from "./events_api.ts";
import { GroupCommitter } from "./group_commit.ts";
import { webhookReceiver } from "./receiver.ts";

export { webhookMigrations } from "./schema.ts";

export type WebhookOptions = { stream?: StreamOptions };

export function createWebhooks(
  deps: RouteDeps,
  opts: WebhookOptions = {},
): { routes: Hono; eventRoutes: Hono<AppEnv> } {
  return {
    routes: webhookReceiver({ ...deps, committer: new GroupCommitter(deps.db) }),
    eventRoutes: eventRoutes(deps, opts.stream),
  };
}
