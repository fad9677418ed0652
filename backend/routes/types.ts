import type { PipedreamClient } from "@pipedream/sdk";
import type { Context } from "hono";
import type { Config } from "../config.ts";
import type { Db } from "../database/db.ts";
import type { SessionVars } from "../http/session.ts";
import type { Limits, RateLimiter } from "../http/rate_limit.ts";
import type { Clock } from "../lib/clock.ts";
import type { ConnectTokenCache } from "../pipedream/connect_token_cache.ts";
import type { OwnershipCheck } from "../pipedream/ownership.ts";
import type { Recovery } from "../webhooks/recovery.ts";

export type AppEnv = { Variables: SessionVars };

/** What every route module is built from (see createApp). */
export type RouteDeps = {
  config: Config;
  db: Db;
  clock: Clock;
  pipedream: PipedreamClient;
  limits: Limits;
  spend: RateLimiter;
  tokenCache: ConnectTokenCache;
  /** Whether props name only the user's own accounts. */
  ownership: OwnershipCheck;
  /** Recovers missed trigger events from Pipedream's event log. */
  recovery: Recovery;
  /** The app's public origin: APP_URL, or the origin the request came to. */
  appOrigin(c: Context): string;
  /** Proxied responses larger than this are refused (routes/proxy.ts; default 10 MB). */
  maxProxyResponseBytes?: number;
};
