/** Named queries over received events. Writes are statements for the group committer. */
import type { InStatement } from "@libsql/client";
import type { EventView } from "../../shared/api.ts";
import type { Db } from "../database/db.ts";

export const KEEP_EVENTS_PER_DEPLOYMENT = 1000;

export type NewTriggerEvent = {
  eventId: string;
  deploymentId: string;
  externalUserId: string;
  bodyHash: string;
  receivedAt: string;
  summary?: string;
  event: string;
};

export function triggerEventStatements(e: NewTriggerEvent): InStatement[] {
  return [{
    // A redelivery (same event id, or the same signed body) changes nothing.
    sql:
      `INSERT INTO webhook_events (event_id, deployment_id, external_user_id, body_hash, received_at, summary, event)
      VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    args: [e.eventId, e.deploymentId, e.externalUserId, e.bodyHash, e.receivedAt, e.summary ?? null, e.event],
  }];
}

/** Keeps the newest events of a deployment; run once per commit, keyed by deployment. */
export function retentionStatement(deploymentId: string): [string, InStatement] {
  return [`retention:${deploymentId}`, {
    sql: `DELETE FROM webhook_events WHERE deployment_id = ?1 AND seq <= (
      SELECT seq FROM webhook_events WHERE deployment_id = ?1 ORDER BY seq DESC LIMIT 1 OFFSET ?2)`,
    args: [deploymentId, KEEP_EVENTS_PER_DEPLOYMENT],
  }];
}

export type NewConnectEvent = {
  bodyHash: string;
  externalUserId: string;
  type: "CONNECTION_SUCCESS" | "CONNECTION_ERROR";
  accountId: string | null;
  error: string | null;
  receivedAt: string;
};

export function connectEventStatements(e: NewConnectEvent): InStatement[] {
  return [{
    sql: `INSERT INTO connect_events (body_hash, external_user_id, type, account_id, error, received_at)
      VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    args: [e.bodyHash, e.externalUserId, e.type, e.accountId, e.error, e.receivedAt],
  }];
}

function toView(r: Record<string, unknown>): EventView & { seq: number } {
  return {
    seq: Number(r.seq),
    id: String(r.event_id),
    triggerId: String(r.deployment_id),
    receivedAt: String(r.received_at),
    ...(r.summary == null ? {} : { summary: String(r.summary) }),
    event: JSON.parse(String(r.event)),
  };
}

/** The user's events, newest first, before `beforeSeq`; only from deployments still live. */
export async function listEvents(
  db: Db,
  externalUserId: string,
  opts: { triggerId?: string; beforeSeq?: number; limit: number },
): Promise<Array<EventView & { seq: number }>> {
  const rs = await db.execute({
    sql:
      `SELECT e.* FROM webhook_events e JOIN deployed_triggers t ON t.id = e.deployment_id AND t.deleted_at IS NULL
      WHERE e.external_user_id = ?1 AND (?2 IS NULL OR e.deployment_id = ?2) AND (?3 IS NULL OR e.seq < ?3)
      ORDER BY e.seq DESC LIMIT ?4`,
    args: [externalUserId, opts.triggerId ?? null, opts.beforeSeq ?? null, opts.limit],
  });
  return rs.rows.map((r) => toView(r as Record<string, unknown>));
}

/** Events after `afterSeq`, oldest first (the live stream). */
export async function eventsAfter(db: Db, externalUserId: string, afterSeq: number, limit = 100) {
  const rs = await db.execute({
    sql:
      `SELECT e.* FROM webhook_events e JOIN deployed_triggers t ON t.id = e.deployment_id AND t.deleted_at IS NULL
      WHERE e.external_user_id = ? AND e.seq > ? ORDER BY e.seq LIMIT ?`,
    args: [externalUserId, afterSeq, limit],
  });
  return rs.rows.map((r) => toView(r as Record<string, unknown>));
}

export async function connectEventsAfter(db: Db, externalUserId: string, afterSeq: number, limit = 100) {
  const rs = await db.execute({
    sql: `SELECT seq, type, account_id, error FROM connect_events WHERE external_user_id = ? AND seq > ?
      ORDER BY seq LIMIT ?`,
    args: [externalUserId, afterSeq, limit],
  });
  return rs.rows.map((r) => ({
    seq: Number(r.seq),
    type: String(r.type),
    ...(r.account_id == null ? {} : { accountId: String(r.account_id) }),
    ...(r.error == null ? {} : { error: String(r.error) }),
  }));
}

export async function latestSeqs(
  db: Db,
  externalUserId: string,
): Promise<{ events: number; connect: number }> {
  const rs = await db.execute({
    sql: `SELECT (SELECT COALESCE(MAX(seq), 0) FROM webhook_events WHERE external_user_id = ?1) AS events,
      (SELECT COALESCE(MAX(seq), 0) FROM connect_events WHERE external_user_id = ?1) AS connect`,
    args: [externalUserId],
  });
  return { events: Number(rs.rows[0].events), connect: Number(rs.rows[0].connect) };
}
