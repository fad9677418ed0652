/**
 * Storage budgets: rows that only matter for a while are deleted once they
 * no longer do. Housekeeping runs at start and then at most once a minute,
 * started by requests (Val Town keeps no timers between requests, so nothing
 * here relies on one), never making a request wait. Every instance may run
 * it; the deletes are idempotent.
 */
import type { Clock } from "../lib/clock.ts";
import { expiredConnectTokensStatement } from "./connect_tokens.ts";
import type { Db } from "./db.ts";

/** The SDK call inspector shows recent calls, not an archive. */
export const SDK_CALLS_KEEP_MS = 24 * 60 * 60_000;
export const HOUSEKEEPING_EVERY_MS = 60_000;

/** Deletes the app's expired rows: sessions, rate limit buckets, connect tokens, SDK calls, stream leases. */
export async function expireAppRows(db: Db, nowMs: number): Promise<void> {
  await db.batch([
    { sql: "DELETE FROM sessions WHERE expires_ms <= ?", args: [nowMs] },
    // A bucket that is full again says nothing a missing row would not.
    { sql: "DELETE FROM rate_limits WHERE full_ms <= ?", args: [nowMs] },
    expiredConnectTokensStatement(nowMs),
    { sql: "DELETE FROM sdk_calls WHERE at < ?", args: [new Date(nowMs - SDK_CALLS_KEEP_MS).toISOString()] },
    { sql: "DELETE FROM stream_leases WHERE expires_ms <= ?", args: [nowMs] },
  ], "write");
}

export type Housekeeping = {
  /** Starts a pass in the background if one is due (cheap when not). */
  poke(): void;
  /** Runs a pass now (start-up, tests), or joins the one running. */
  run(): Promise<void>;
  /** Resolves when no pass is running (before the database closes). */
  settled(): Promise<void>;
};

export function createHousekeeping(opts: {
  clock: Clock;
  tasks: Array<[name: string, task: (nowMs: number) => Promise<unknown>]>;
  everyMs?: number;
  log?: (line: string) => void;
}): Housekeeping {
  const everyMs = opts.everyMs ?? HOUSEKEEPING_EVERY_MS;
  const log = opts.log ?? ((line: string) => console.error(line));
  let last = -Infinity;
  let running: Promise<void> | undefined;

  async function pass(): Promise<void> {
    const now = opts.clock.now();
    last = now;
    for (const [name, task] of opts.tasks) {
      // One failing task (Pipedream down, the database busy) does not stop the others.
      await task(now).catch((err) => log(`housekeeping: ${name} failed: ${(err as Error).message}`));
    }
  }

  const run = () => (running ??= pass().finally(() => (running = undefined)));
  return {
    poke() {
      if (!running && opts.clock.now() - last >= everyMs) void run();
    },
    run,
    settled: () => running ?? Promise.resolve(),
  };
}
