import type { PipedreamClient } from "@pipedream/sdk";
import type { Context } from "hono";
import type { Config } from "../config.ts";
import type { Db } from "../database/db.ts";
import type { Origins, OriginVars } from "../http/origin.ts";
import type { ClientVars, Limiter, Limits, RateLimiter } from "../http/rate_limit.ts";
import type { AnonymousSessions, SessionVars } from "../http/session.ts";
import type { Clock } from "../lib/clock.ts";
import type { ConnectTokenCache } from "../pipedream/connect_token_cache.ts";
import type { OwnershipCheck } from "../pipedream/ownership.ts";
import type { DeploymentCache } from "../webhooks/deployment_cache.ts";
import type { Recovery } from "../webhooks/recovery.ts";

/** What every request carries once past the app's first middleware: its origin, client address and user. */
export type AppEnv = { Variables: SessionVars & OriginVars & ClientVars };

/** What every route module is built from (see createApp). */
export type RouteDeps = {
  config: Config;
  db: Db;
  clock: Clock;
  pipedream: PipedreamClient;
  limits: Limits;
  /** A bucket by name and key (`spend("x", bucket, key)`). */
  spend: RateLimiter;
  /** An action's allowance for the request's session and client address. */
  limit: Limiter;
  tokenCache: ConnectTokenCache;
  /** Whether props name only the user's own accounts. */
  ownership: OwnershipCheck;
  /** Recovers missed trigger events from Pipedream's event log. */
  recovery: Recovery;
  /** Anonymous sessions (http/session.ts); undefined when the app is given a login (identify). */
  sessions?: AnonymousSessions;
  /** Every origin the app answers on (configuration, never the request). */
  origins: Origins;
  /** What webhook deliveries need of each deployment, kept briefly: forget a deployment when deleting it. */
  deployments: DeploymentCache;
  /** The configured origin this request came to. */
  appOrigin(c: Context): string;
  /** Proxied responses larger than this are refused (routes/proxy.ts; default 10 MB). */
  maxProxyResponseBytes?: number;
  /** Sandbox mode only: makes a deployed trigger's app emit a sample event. */
  testEvents?: { emit(deployedTriggerId: string, externalUserId: string): Promise<{ summary: string }> };
};
