import type { DeployedTriggerView } from "../../shared/api.ts";
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
      JSON.stringify(t.configuredProps),
      t.signingKey,
      t.createdAt,
    ],
  });
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
    sql: `SELECT * FROM deployed_triggers WHERE external_user_id = ? AND deleted_at IS NULL
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
    sql: "SELECT * FROM deployed_triggers WHERE id = ? AND deleted_at IS NULL",
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
