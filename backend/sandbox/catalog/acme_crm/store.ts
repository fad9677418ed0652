/** Acme CRM's table in the sandbox: contacts and deals, per account. */
import type { Db } from "../../../database/db.ts";
import type { Migration } from "../../../database/migrate.ts";

export const acmeCrmMigrations: Migration[] = [{
  id: "sandbox-acme_crm-001",
  sql: [
    `CREATE TABLE IF NOT EXISTS sandbox_crm_records (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      account_id TEXT NOT NULL,
      external_user_id TEXT NOT NULL,
      record_type TEXT NOT NULL,
      data TEXT NOT NULL,
      created_at INTEGER NOT NULL
    )`,
  ],
}];

export type CrmRecord = { id: string; type: string; data: Record<string, unknown>; createdAt: number };

const toRecord = (r: Record<string, unknown>): CrmRecord => ({
  id: `rec_${r.id}`,
  type: String(r.record_type),
  data: JSON.parse(String(r.data)),
  createdAt: Number(r.created_at),
});

/** Stores a record; answers its id (`rec_…`). */
export async function insertRecord(
  db: Db,
  r: {
    accountId: string;
    externalUserId: string;
    type: string;
    data: Record<string, unknown>;
    createdAt: number;
  },
): Promise<string> {
  const rs = await db.execute({
    sql: `INSERT INTO sandbox_crm_records (account_id, external_user_id, record_type, data, created_at)
      VALUES (?, ?, ?, ?, ?) RETURNING id`,
    args: [r.accountId, r.externalUserId, r.type, JSON.stringify(r.data), r.createdAt],
  });
  return `rec_${rs.rows[0].id}`;
}

/** An account's latest 100 records, newest first. */
export async function listRecords(db: Db, accountId: string): Promise<CrmRecord[]> {
  const rs = await db.execute({
    sql:
      "SELECT id, record_type, data, created_at FROM sandbox_crm_records WHERE account_id = ? ORDER BY id DESC LIMIT 100",
    args: [accountId],
  });
  return rs.rows.map((r) => toRecord(r as Record<string, unknown>));
}

/** A user's records created after `since` (of one type, if given), oldest first. */
export async function recordsCreatedSince(
  db: Db,
  externalUserId: string,
  since: number,
  type: string | null,
): Promise<CrmRecord[]> {
  const rs = await db.execute({
    sql: `SELECT id, record_type, data, created_at FROM sandbox_crm_records
      WHERE external_user_id = ? AND created_at > ? AND (? IS NULL OR record_type = ?) ORDER BY id`,
    args: [externalUserId, since, type, type],
  });
  return rs.rows.map((r) => toRecord(r as Record<string, unknown>));
}
