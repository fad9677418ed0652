/**
 * Deployments made at Pipedream but never recorded here: the process
 * stopped (or the database failed) between the deploy call and its record,
 * or the deploy ended without a clear answer. Each such attempt left a
 * reservation (database/triggers.ts). Once a reservation is older than any
 * deploy call can take, its user's deployments at Pipedream are listed, and
 * those of its component made since it was taken that are not recorded here
 * are removed: nobody was told they exist, and without their signing key
 * their events could not be verified. Then the reservation goes.
 *
 * Run at start and from housekeeping; every instance may run it (deleting
 * twice is harmless).
 */
import type { PipedreamClient } from "@pipedream/sdk";
import type { Db } from "../database/db.ts";
import {
  deployInFlight,
  isRecordedTrigger,
  releaseReservation,
  staleReservations,
} from "../database/triggers.ts";
import { isNotFound } from "../http/error_mapping.ts";
import type { Clock } from "../lib/clock.ts";
import { withRetry } from "./retry.ts";

/** Longer than any deploy call (the SDK's timeout is 30 s by default). */
export const RESERVATION_STALE_AFTER_MS = 2 * 60_000;
/** Clocks differ: a deployment made a little "before" its reservation still counts. */
const CLOCK_SKEW_MS = 60_000;

/** Pipedream documents `createdAt` in milliseconds; a value in seconds is read as such. */
const toMs = (t: number) => (t < 1e12 ? t * 1000 : t);

export async function recoverTriggerReservations(
  deps: { db: Db; pipedream: PipedreamClient; clock: Clock; log: (line: string) => void },
): Promise<{ removed: string[]; released: number }> {
  const { db, pipedream, clock, log } = deps;
  const staleBefore = new Date(clock.now() - RESERVATION_STALE_AFTER_MS).toISOString();
  const stale = await staleReservations(db, staleBefore);
  const removed: string[] = [];
  let released = 0;
  for (const r of stale) {
    // A deploy of the same trigger in flight now would look unrecorded too: wait for it.
    if (await deployInFlight(db, r.externalUserId, r.componentKey, staleBefore)) continue;
    const since = Date.parse(r.createdAt) - CLOCK_SKEW_MS;
    const page = await withRetry(() => pipedream.deployedTriggers.list({ externalUserId: r.externalUserId }));
    for await (const d of page) {
      const key = "componentKey" in d ? d.componentKey : undefined;
      const created = "createdAt" in d && typeof d.createdAt === "number" ? toMs(d.createdAt) : undefined;
      if (key !== r.componentKey || (created !== undefined && created < since)) continue;
      if (await isRecordedTrigger(db, d.id)) continue;
      try {
        await withRetry(() => pipedream.deployedTriggers.delete(d.id, { externalUserId: r.externalUserId }));
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      removed.push(d.id);
      log(`trigger recovery: removed ${d.id} (${r.componentKey}), deployed but never recorded`);
    }
    await releaseReservation(db, r.id);
    released++;
  }
  return { removed, released };
}
