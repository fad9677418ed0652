/** Acme Desk's table in the sandbox: support tickets, per account. */
import type { Db } from "../../../database/db.ts";
import type { Migration } from "../../../database/migrate.ts";

export const acmeDeskMigrations: Migration[] = [{
  id: "sandbox-acme_desk-001",
  sql: [
    `CREATE TABLE IF NOT EXISTS sandbox_desk_tickets (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      account_id TEXT NOT NULL,
      subject TEXT NOT NULL,
      status TEXT NOT NULL,
      created_at INTEGER NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS sandbox_desk_tickets_account ON sandbox_desk_tickets (account_id, id)`,
  ],
}];

export type Ticket = { id: number; subject: string; status: string; createdAt: number };

const toTicket = (r: Record<string, unknown>): Ticket => ({
  id: Number(r.id),
  subject: String(r.subject),
  status: String(r.status),
  createdAt: Number(r.created_at),
});

export async function insertTicket(
  db: Db,
  t: { accountId: string; subject: string; createdAt: number },
): Promise<Ticket> {
  const rs = await db.execute({
    sql: `INSERT INTO sandbox_desk_tickets (account_id, subject, status, created_at) VALUES (?, ?, 'open', ?)
      RETURNING id, subject, status, created_at`,
    args: [t.accountId, t.subject, t.createdAt],
  });
  return toTicket(rs.rows[0] as Record<string, unknown>);
}

/** An account's latest 100 tickets, newest first. */
export async function listTickets(db: Db, accountId: string): Promise<Ticket[]> {
  const rs = await db.execute({
    sql: `SELECT id, subject, status, created_at FROM sandbox_desk_tickets WHERE account_id = ?
      ORDER BY id DESC LIMIT 100`,
    args: [accountId],
  });
  return rs.rows.map((r) => toTicket(r as Record<string, unknown>));
}

export async function findTicket(db: Db, accountId: string, id: number): Promise<Ticket | undefined> {
  const rs = await db.execute({
    sql: "SELECT id, subject, status, created_at FROM sandbox_desk_tickets WHERE account_id = ? AND id = ?",
    args: [accountId, id],
  });
  return rs.rows[0] ? toTicket(rs.rows[0] as Record<string, unknown>) : undefined;
}
