/**
 * Token buckets kept in the database, so a limit holds however many
 * instances serve the app (as on Val Town). One UPSERT refills, spends and
 * reports in a single statement; no read-then-write race.
 *
 * Every costly action is limited twice: per session, and per client address
 * (http/client_address.ts), because a new session is cheap for an attacker
 * to get (so creating one is limited per address too). Address buckets are
 * wider: a school or an office shares one address.
 *
 * A bucket row records when it will be full again (`full_ms`); after that it
 * says nothing a missing row would not, so housekeeping drops it.
 */
import type { Context } from "hono";
import type { Db } from "../database/db.ts";
import type { Clock } from "../lib/clock.ts";
import { ApiError } from "./errors.ts";

export type Bucket = { capacity: number; perMinute: number };

/** What is limited per session (and, in `perAddress`, per client address). */
export type Action =
  | "connectTokens"
  | "actionRuns"
  | "triggerDeploys"
  | "proxyCalls"
  | "streamOpens"
  /** Reading the user's deployments' event logs at Pipedream ("Sync" in the event feed). */
  | "eventSyncs"
  /** Sandbox mode: making a deployed trigger's app emit a sample event ("Send a test event"). */
  | "testEvents";

export type Limits = Record<Action, Bucket> & {
  perAddress: Record<Action | "newSessions" | "forgetMe", Bucket>;
  /** Open event streams at once: per session, per address (both across instances), per instance. */
  streams: { perSession: number; perAddress: number; perInstance: number };
};

export type LimitOverrides = Partial<Record<Action, Bucket>> & {
  perAddress?: Partial<Limits["perAddress"]>;
  streams?: Partial<Limits["streams"]>;
};

export const DEFAULT_LIMITS: Limits = {
  connectTokens: { capacity: 20, perMinute: 30 },
  actionRuns: { capacity: 30, perMinute: 60 },
  triggerDeploys: { capacity: 5, perMinute: 10 },
  proxyCalls: { capacity: 30, perMinute: 60 },
  eventSyncs: { capacity: 3, perMinute: 6 },
  testEvents: { capacity: 10, perMinute: 20 },
  streamOpens: { capacity: 20, perMinute: 30 },
  perAddress: {
    newSessions: { capacity: 10, perMinute: 6 },
    forgetMe: { capacity: 3, perMinute: 1 },
    connectTokens: { capacity: 60, perMinute: 60 },
    actionRuns: { capacity: 90, perMinute: 120 },
    triggerDeploys: { capacity: 15, perMinute: 20 },
    proxyCalls: { capacity: 90, perMinute: 120 },
    streamOpens: { capacity: 60, perMinute: 60 },
    eventSyncs: { capacity: 10, perMinute: 20 },
    testEvents: { capacity: 30, perMinute: 60 },
  },
  streams: { perSession: 4, perAddress: 20, perInstance: 1000 },
};

export function resolveLimits(overrides: LimitOverrides = {}): Limits {
  const { perAddress, streams, ...perSession } = overrides;
  return {
    ...DEFAULT_LIMITS,
    ...perSession,
    perAddress: { ...DEFAULT_LIMITS.perAddress, ...perAddress },
    streams: { ...DEFAULT_LIMITS.streams, ...streams },
  };
}

export type Spend = { name: string; bucket: Bucket; key: string };

/**
 * Refills and spends buckets in one transaction, then reads the outcome
 * (RETURNING would save the read; libSQL's native driver, which opened local
 * files before node:sqlite, left such a statement open when the database was
 * busy, and every later commit then failed: two plain statements behave the
 * same on every client). Throws 429 with the longest wait if any bucket is
 * empty; the others are spent.
 */
export function createBucketSpender(db: Db, clock: Clock) {
  return async function spendAll(spends: Spend[]): Promise<void> {
    const now = clock.now();
    const statements = spends.flatMap(({ name, bucket, key }) => {
      const rate = bucket.perMinute / 60_000;
      const refill = "MIN(?2, tokens + (?3 - updated_ms) * ?4)";
      const left = `(${refill} - (CASE WHEN ${refill} >= 1 THEN 1 ELSE 0 END))`;
      return [
        {
          sql: `INSERT INTO rate_limits (bucket, tokens, granted, updated_ms, full_ms)
            VALUES (?1, ?2 - 1, 1, ?3, ?3 + CAST(1 / ?4 AS INTEGER))
            ON CONFLICT (bucket) DO UPDATE SET
              granted = (${refill} >= 1),
              full_ms = ?3 + CAST((?2 - ${left}) / ?4 AS INTEGER),
              tokens = ${left},
              updated_ms = ?3`,
          args: [`${name}:${key}`, bucket.capacity, now, rate],
        },
        { sql: "SELECT granted, tokens FROM rate_limits WHERE bucket = ?", args: [`${name}:${key}`] },
      ];
    });
    const results = await db.batch(statements, "write");
    let wait = 0;
    spends.forEach(({ bucket }, i) => {
      const row = results[i * 2 + 1].rows[0];
      if (Number(row.granted) === 1) return;
      const rate = bucket.perMinute / 60_000;
      wait = Math.max(wait, Math.ceil((1 - Number(row.tokens)) / rate / 1000), 1);
    });
    if (wait > 0) {
      throw new ApiError(429, "rate_limited", `Too many requests; retry in ${wait}s.`, {
        "Retry-After": String(wait),
      });
    }
  };
}

/** One bucket by name and key. */
export function createRateLimiter(db: Db, clock: Clock) {
  const spendAll = createBucketSpender(db, clock);
  return (name: string, bucket: Bucket, key: string): Promise<void> => spendAll([{ name, bucket, key }]);
}
export type RateLimiter = ReturnType<typeof createRateLimiter>;

export type ClientVars = { externalUserId: string | undefined; clientAddress: string };

/** Spends an action's allowance for the request's client address and its session, in one transaction. */
export function createLimiter(db: Db, clock: Clock, limits: Limits) {
  const spendAll = createBucketSpender(db, clock);
  // deno-lint-ignore no-explicit-any -- any app whose variables include ClientVars
  return function limit(ctx: Context<any>, action: Action): Promise<void> {
    const c = ctx as Context<{ Variables: ClientVars }>;
    const userId = c.get("externalUserId");
    return spendAll([
      { name: action, bucket: limits.perAddress[action], key: `addr:${c.get("clientAddress")}` },
      ...(userId ? [{ name: action, bucket: limits[action], key: userId }] : []),
    ]);
  };
}
export type Limiter = ReturnType<typeof createLimiter>;
