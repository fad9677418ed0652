/**
 * Timer triggers: each active deployment of a component with `onTimer` runs
 * when its interval has passed since its last run, and emits what it returns.
 */
import type { Db } from "../database/db.ts";
import type { Clock } from "../lib/clock.ts";
import { findComponent } from "./catalog/index.ts";
import type { Ctx, Observation } from "./catalog/types.ts";
import type { Deliveries } from "./deliveries.ts";
import { emitEvent } from "./emitter.ts";
import { listDeployments, updateDeployment } from "./store.ts";

export async function runDueTimers(deps: { db: Db; clock: Clock; deliveries: Deliveries }): Promise<void> {
  const { db, clock, deliveries } = deps;
  const now = clock.now();
  for (const d of await listDeployments(db, { activeOnly: true })) {
    const c = findComponent(d.componentKey)?.component;
    if (!c?.onTimer || !c.timerIntervalSeconds) continue;
    const since = d.lastTimerAt ?? d.createdAt;
    if (now - since < c.timerIntervalSeconds(d.configuredProps) * 1000) continue;
    const os: Observation[] = [];
    // A timer acts for no request: it reads its app's own tables, and emits by returning events.
    const ctx: Ctx = {
      db,
      now,
      externalUserId: d.externalUserId,
      log: (msg: string) => os.push({ ts: now, k: "console.log", msg }),
      account: () => Promise.reject(new Error("not available in timers")),
      emit: () => Promise.resolve(0),
    };
    const events = await c.onTimer(ctx, d.configuredProps, since);
    await updateDeployment(db, d, { lastTimerAt: now }, now);
    for (const e of events) await emitEvent(db, deliveries, d, e.event, e.summary, now);
  }
}
