/**
 * Emitting a trigger event: record it for the events endpoint (bounded per
 * deployment, as Pipedream keeps recent events) and queue its delivery to the
 * deployment's webhook in the observed live format: the bare event as the
 * body, who it is from and for in `x-pd-*` headers (see
 * backend/lib/webhook_format.ts), signed with the deployment's key.
 */
import type { Db } from "../database/db.ts";
import { deliveryContextHeaders } from "../lib/webhook_format.ts";
import { SANDBOX_CREDENTIALS } from "./credentials.ts";
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
  const body = JSON.stringify(event);
  await db.batch([
    {
      sql: "INSERT INTO sandbox_events (id, deployment_id, ts, k, e, sum) VALUES (?, ?, ?, 'emit', ?, ?)",
      args: [id, d.id, now, body, summary],
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
    headers: deliveryContextHeaders({
      emitterId: d.id,
      externalUserId: d.externalUserId,
      projectId: SANDBOX_CREDENTIALS.projectId,
      environment: d.environment,
    }),
    body,
  });
}
