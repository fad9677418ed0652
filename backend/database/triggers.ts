import type { DeployedTriggerView } from "../../shared/api.ts";
import { truncateForStorage } from "../lib/truncate.ts";
import type { Db } from "./db.ts";

export type TriggerRow = DeployedTriggerView & {
  externalUserId: string;
  signingKey: string | null;
};

export async function insertTrigger(db: Db, t: TriggerRow): Promise<void> {
  await db.execute({
    sql: `INSERT INTO deployed_triggers
      (id, external_user_id, component_key, name, active, configured_props, signing_key, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    args: [
      t.id,
      t.externalUserId,
      t.componentKey,
      t.name,
      t.active ? 1 : 0,
      JSON.stringify(truncateForStorage(t.configuredProps)),
      t.signingKey,
      t.createdAt,
    ],
  });
}

export type Reservation = { id: string; externalUserId: string; componentKey: string; createdAt: string };

/**
 * Takes a slot for a deployment before it is made at Pipedream, if the user
 * and the installation are both under their caps: one statement, so two
 * requests (or two instances) cannot both take the last slot. A crash
 * between the deploy and `confirmTrigger` leaves the reservation behind,
 * which tells start-up recovery where to look (see triggers/recovery.ts).
 */
export async function reserveTrigger(
  db: Db,
  r: Reservation,
  caps: { perUser: number; total: number },
): Promise<"reserved" | "user_cap" | "total_cap"> {
  const rs = await db.execute({
    sql: `INSERT INTO deployed_triggers
      (id, external_user_id, component_key, name, active, configured_props, signing_key, created_at, state)
      SELECT ?1, ?2, ?3, ?3, 0, '{}', NULL, ?4, 'deploying'
      WHERE (SELECT COUNT(*) FROM deployed_triggers WHERE external_user_id = ?2 AND deleted_at IS NULL) < ?5
        AND (SELECT COUNT(*) FROM deployed_triggers WHERE deleted_at IS NULL) < ?6`,
    args: [r.id, r.externalUserId, r.componentKey, r.createdAt, caps.perUser, caps.total],
  });
  if (rs.rowsAffected === 1) return "reserved";
  return await countTriggers(db, r.externalUserId) >= caps.perUser ? "user_cap" : "total_cap";
}

/** Turns a reservation into the deployment Pipedream made. */
export async function confirmTrigger(db: Db, reservationId: string, t: TriggerRow): Promise<void> {
  await db.execute({
    sql: `UPDATE deployed_triggers SET id = ?, name = ?, active = ?, configured_props = ?, signing_key = ?,
      created_at = ?, state = 'live' WHERE id = ? AND state = 'deploying'`,
    args: [
      t.id,
      t.name,
      t.active ? 1 : 0,
      JSON.stringify(truncateForStorage(t.configuredProps)),
      t.signingKey,
      t.createdAt,
      reservationId,
    ],
  });
}

export async function releaseReservation(db: Db, reservationId: string): Promise<void> {
  await db.execute({
    sql: "DELETE FROM deployed_triggers WHERE id = ? AND state = 'deploying'",
    args: [reservationId],
  });
}

/** Reservations older than `beforeIso`: their deploy call ended long ago without being confirmed. */
export async function staleReservations(db: Db, beforeIso: string): Promise<Reservation[]> {
  const rs = await db.execute({
    sql: `SELECT id, external_user_id, component_key, created_at FROM deployed_triggers
      WHERE state = 'deploying' AND created_at < ? ORDER BY created_at LIMIT 100`,
    args: [beforeIso],
  });
  return rs.rows.map((r) => ({
    id: String(r.id),
    externalUserId: String(r.external_user_id),
    componentKey: String(r.component_key),
    createdAt: String(r.created_at),
  }));
}

/** Whether a deploy of this component for this user is in flight (its reservation is newer than `sinceIso`). */
export async function deployInFlight(
  db: Db,
  externalUserId: string,
  componentKey: string,
  sinceIso: string,
): Promise<boolean> {
  const rs = await db.execute({
    sql:
      `SELECT 1 FROM deployed_triggers WHERE state = 'deploying' AND external_user_id = ? AND component_key = ?
      AND created_at >= ? LIMIT 1`,
    args: [externalUserId, componentKey, sinceIso],
  });
  return rs.rows.length > 0;
}

/** Whether a deployment id is recorded here (live or deleted). */
export async function isRecordedTrigger(db: Db, id: string): Promise<boolean> {
  const rs = await db.execute({ sql: "SELECT 1 FROM deployed_triggers WHERE id = ?", args: [id] });
  return rs.rows.length > 0;
}

function toRow(r: Record<string, unknown>): TriggerRow {
  return {
    id: String(r.id),
    externalUserId: String(r.external_user_id),
    componentKey: String(r.component_key),
    name: String(r.name),
    active: Number(r.active) === 1,
    configuredProps: JSON.parse(String(r.configured_props)),
    signingKey: r.signing_key == null ? null : String(r.signing_key),
    createdAt: String(r.created_at),
  };
}

export async function listTriggers(db: Db, externalUserId: string): Promise<TriggerRow[]> {
  const rs = await db.execute({
    sql: `SELECT * FROM deployed_triggers WHERE external_user_id = ? AND deleted_at IS NULL AND state = 'live'
      ORDER BY created_at DESC, id DESC`,
    args: [externalUserId],
  });
  return rs.rows.map((r) => toRow(r as Record<string, unknown>));
}

/** Every deployment not deleted, whoever owns it (webhook recovery reads each one's event log). */
export async function listLiveTriggers(db: Db): Promise<TriggerRow[]> {
  const rs = await db.execute(
    "SELECT * FROM deployed_triggers WHERE deleted_at IS NULL ORDER BY created_at, id",
  );
  return rs.rows.map((r) => toRow(r as Record<string, unknown>));
}

export async function countTriggers(db: Db, externalUserId: string): Promise<number> {
  const rs = await db.execute({
    sql: "SELECT COUNT(*) AS n FROM deployed_triggers WHERE external_user_id = ? AND deleted_at IS NULL",
    args: [externalUserId],
  });
  return Number(rs.rows[0].n);
}

/** Any live deployment by id, whoever owns it (the webhook receiver needs the owner). */
export async function findTrigger(db: Db, id: string): Promise<TriggerRow | undefined> {
  const rs = await db.execute({
    sql: "SELECT * FROM deployed_triggers WHERE id = ? AND deleted_at IS NULL AND state = 'live'",
    args: [id],
  });
  return rs.rows[0] ? toRow(rs.rows[0] as Record<string, unknown>) : undefined;
}

export async function findUserTrigger(
  db: Db,
  externalUserId: string,
  id: string,
): Promise<TriggerRow | undefined> {
  const t = await findTrigger(db, id);
  return t && t.externalUserId === externalUserId ? t : undefined;
}

export async function markTriggerDeleted(db: Db, id: string, at: string): Promise<void> {
  await db.execute({
    sql: "UPDATE deployed_triggers SET deleted_at = ?, active = 0 WHERE id = ?",
    args: [at, id],
  });
}
