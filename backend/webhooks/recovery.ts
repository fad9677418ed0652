/**
 * Recovery of missed trigger events. Pipedream was observed not to retry a
 * failed delivery, so an event that arrives while the app is down, or that
 * gets a 5xx, would be lost. Pipedream keeps each deployment's recent events
 * (`deployedTriggers.listEvents`); recovery reads them and stores each one
 * not stored yet, pairing it with its delivered row when there is one (same
 * content hash, delivered just after the emit: see store.ts). Runs at start,
 * on an interval, and on demand (`POST /api/events/sync`).
 */
import type { PipedreamClient } from "@pipedream/sdk";
import type { Db } from "../database/db.ts";
import { listLiveTriggers, listTriggers, type TriggerRow } from "../database/triggers.ts";
import type { Clock } from "../lib/clock.ts";
import { withRetry } from "../pipedream/retry.ts";
import { contentHash } from "./content_hash.ts";
import { MAX_EVENT_DEPTH, MAX_WEBHOOK_BYTES, nestsDeeperThan } from "./read_body.ts";
import { knownLogEventIds, type LoggedEvent, loggedEventStatements, retentionStatement } from "./store.ts";

/** How many recent events to ask for per deployment (the SDK's default is 20). */
export const LOG_EVENTS_PER_DEPLOYMENT = 100;
/** Deployments read at once: enough to finish quickly, few enough not to be throttled. */
const CONCURRENCY = 4;

export type SyncResult = { deployments: number; recovered: number; failed: number };

export type RecoveryDeps = {
  db: Db;
  pipedream: PipedreamClient;
  clock: Clock;
  log: (line: string) => void;
  /** Events kept per deployment (config.eventsKeptPerDeployment): each sync trims to it. */
  keepEvents: number;
  /**
   * Resolves once the deliveries acknowledged so far are in the database
   * (the delivery journal's import). Awaited after each deployment's log is
   * read: pairing before would store as recovered an event whose delivery
   * was acknowledged a moment ago.
   */
  deliveriesSettled?: () => Promise<void>;
};

export function createRecovery(deps: RecoveryDeps) {
  const { db, clock, log } = deps;
  const encoder = new TextEncoder();

  /** Stores the deployment's logged events that are not stored yet; returns how many. */
  async function syncDeployment(t: TriggerRow): Promise<number> {
    const { data } = await withRetry(() =>
      deps.pipedream.deployedTriggers.listEvents(t.id, {
        externalUserId: t.externalUserId,
        n: LOG_EVENTS_PER_DEPLOYMENT,
      })
    );
    // Read after the log: every delivery of these events acknowledged by now is paired, not taken as missed.
    await deps.deliveriesSettled?.();
    const entries = data.filter((e) => e.k === "emit");
    const known = await knownLogEventIds(db, t.id, entries.map((e) => e.id));
    const receivedAt = new Date(clock.now()).toISOString();
    const fresh: LoggedEvent[] = [];
    for (const entry of entries) {
      if (known.has(entry.id)) continue;
      const text = JSON.stringify(entry.e);
      // The limits a delivery gets apply to a recovered event too.
      if (encoder.encode(text).length > MAX_WEBHOOK_BYTES || nestsDeeperThan(text, MAX_EVENT_DEPTH)) {
        log(
          `webhook recovery skipped ${
            JSON.stringify({ deployment: t.id, event: entry.id, reason: "too large or deep" })
          }`,
        );
        continue;
      }
      fresh.push({
        deploymentId: t.id,
        externalUserId: t.externalUserId,
        logEventId: entry.id,
        contentHash: await contentHash(entry.e),
        emittedAt: entry.ts,
        receivedAt,
        summary: entry.sum,
        event: text,
      });
    }
    if (fresh.length === 0) return 0;
    const results = await db.batch([
      ...loggedEventStatements(fresh),
      retentionStatement(t.id, deps.keepEvents)[1],
    ], "write");
    // The statements pair every entry, then insert every entry not paired: count the inserts.
    return results.slice(fresh.length, 2 * fresh.length).reduce((n, r) => n + r.rowsAffected, 0);
  }

  async function syncTriggers(triggers: TriggerRow[]): Promise<SyncResult> {
    const result: SyncResult = { deployments: triggers.length, recovered: 0, failed: 0 };
    const queue = [...triggers];
    const worker = async () => {
      for (let t = queue.shift(); t; t = queue.shift()) {
        try {
          result.recovered += await syncDeployment(t);
        } catch (err) {
          result.failed++;
          log(
            `webhook recovery failed ${
              JSON.stringify({ deployment: t.id, error: String(err).slice(0, 300) })
            }`,
          );
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    if (result.recovered > 0) log(`webhook recovery ${JSON.stringify(result)}`);
    return result;
  }

  return {
    /** The session user's live deployments (the feed's "Sync"). */
    syncUser: async (externalUserId: string) => syncTriggers(await listTriggers(db, externalUserId)),
    /** Every live deployment of this app (at start and on the interval). */
    syncAll: async () => syncTriggers(await listLiveTriggers(db)),
  };
}
export type Recovery = ReturnType<typeof createRecovery>;

const LEASE_KEY = "webhook_recovery_lease";

/**
 * Runs `syncAll` at start and then every `intervalMs` (±20 %, so instances
 * drift apart). Instances sharing the database take a lease first, so one of
 * them reads Pipedream per interval; the run at start always goes (a restart
 * is when events were most likely missed). Storage makes repeats harmless.
 */
export function startRecoveryLoop(
  recovery: Recovery,
  opts: { db: Db; clock: Clock; intervalMs: number; log: (line: string) => void; random?: () => number },
): { stop(): Promise<void> } {
  const random = opts.random ?? Math.random;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  async function takeLease(force: boolean): Promise<boolean> {
    const now = opts.clock.now();
    const rs = await opts.db.execute({
      sql: `INSERT INTO app_settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2
        WHERE ?4 OR CAST(value AS INTEGER) <= ?3`,
      args: [LEASE_KEY, String(now + opts.intervalMs / 2), now, force ? 1 : 0],
    });
    return rs.rowsAffected === 1;
  }

  function run(force: boolean) {
    running = (async () => {
      try {
        if (await takeLease(force)) await recovery.syncAll();
      } catch (err) {
        opts.log(`webhook recovery could not run: ${String(err).slice(0, 300)}`);
      }
    })();
    running.finally(() => {
      running = undefined;
      if (!stopped && opts.intervalMs > 0) {
        timer = setTimeout(() => run(false), opts.intervalMs * (0.8 + 0.4 * random()));
      }
    });
  }

  run(true);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
