/**
 * Per-session token buckets kept in the database, so the limit holds when the
 * app runs as many instances (as on Val Town). One UPSERT refills, spends and
 * reports in a single statement; no read-then-write race.
 */
import type { Db } from "../database/db.ts";
import type { Clock } from "../lib/clock.ts";
import { ApiError } from "./errors.ts";

export type Bucket = { capacity: number; perMinute: number };

export type Limits = {
  connectTokens: Bucket;
  actionRuns: Bucket;
  triggerDeploys: Bucket;
  proxyCalls: Bucket;
  /** Reading the user's deployments' event logs at Pipedream ("Sync" in the event feed). */
  eventSyncs: Bucket;
};

export const DEFAULT_LIMITS: Limits = {
  connectTokens: { capacity: 20, perMinute: 30 },
  actionRuns: { capacity: 30, perMinute: 60 },
  triggerDeploys: { capacity: 5, perMinute: 10 },
  proxyCalls: { capacity: 30, perMinute: 60 },
  eventSyncs: { capacity: 3, perMinute: 6 },
};

export function createRateLimiter(db: Db, clock: Clock) {
  return async function spend(name: keyof Limits & string, bucket: Bucket, key: string): Promise<void> {
    const now = clock.now();
    const rate = bucket.perMinute / 60_000;
    const refill = "MIN(?2, tokens + (?3 - updated_ms) * ?4)";
    // One transaction: refill-and-spend, then read the outcome. (RETURNING
    // would be one statement, but libsql leaves such a statement open when
    // the database is busy, and the connection then fails every commit.)
    const [, rs] = await db.batch([
      {
        sql: `INSERT INTO rate_limits (bucket, tokens, granted, updated_ms) VALUES (?1, ?2 - 1, 1, ?3)
          ON CONFLICT (bucket) DO UPDATE SET
            granted = (${refill} >= 1),
            tokens = ${refill} - (CASE WHEN ${refill} >= 1 THEN 1 ELSE 0 END),
            updated_ms = ?3`,
        args: [`${name}:${key}`, bucket.capacity, now, rate],
      },
      { sql: "SELECT granted, tokens FROM rate_limits WHERE bucket = ?", args: [`${name}:${key}`] },
    ], "write");
    const row = rs.rows[0];
    if (Number(row.granted) !== 1) {
      const wait = Math.max(1, Math.ceil((1 - Number(row.tokens)) / rate / 1000));
      throw new ApiError(429, "rate_limited", `Too many requests; retry in ${wait}s.`, {
        "Retry-After": String(wait),
      });
    }
  };
}
export type RateLimiter = ReturnType<typeof createRateLimiter>;
