/**
 * Emitting a trigger event: record it for the events endpoint (bounded per
 * deployment, as Pipedream keeps recent events) and queue its delivery to
 * the deployment's webhook.
 */
import type { Db } from "../database/db.ts";
import type { Deliveries } from "./deliveries.ts";
import { type Deployment, newId } from "./store.ts";

const KEEP_EVENTS = 100;

export async function emitEvent(
  db: Db,
  deliveries: Deliveries,
  d: Deployment,
  event: Record<string, unknown>,
  summary: string,
  now: number,
): Promise<void> {
  const id = newId("evt_");
  await db.batch([
    {
      sql: "INSERT INTO sandbox_events (id, deployment_id, ts, k, e, sum) VALUES (?, ?, ?, 'emit', ?, ?)",
      args: [id, d.id, now, JSON.stringify(event), summary],
    },
    {
      sql: `DELETE FROM sandbox_events WHERE deployment_id = ?1 AND id NOT IN
        (SELECT id FROM sandbox_events WHERE deployment_id = ?1 ORDER BY ts DESC, id DESC LIMIT ?2)`,
      args: [d.id, KEEP_EVENTS],
    },
  ], "write");
  if (!d.webhookUrl) return;
  await deliveries.enqueue({
    deliveryId: id,
    deploymentId: d.id,
    url: d.webhookUrl,
    signingKey: d.signingKey,
    headers: { "x-pd-emitter-id": d.id },
    body: JSON.stringify({ event, metadata: { emitter_id: d.id, id, ts: now, summary } }),
  });
}
