/** Slack's table in the sandbox: the messages sent to its channels. */
import type { Db } from "../../../database/db.ts";
import type { Migration } from "../../../database/migrate.ts";

export const slackMigrations: Migration[] = [{
  id: "sandbox-slack-001",
  sql: [
    `CREATE TABLE IF NOT EXISTS sandbox_slack_messages (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      external_user_id TEXT NOT NULL,
      account_id TEXT NOT NULL,
      channel TEXT NOT NULL,
      text TEXT NOT NULL,
      created_at INTEGER NOT NULL
    )`,
  ],
}];

export type SlackMessage = { id: number; text: string; createdAt: number };

/** Stores a message; its id orders the channel. */
export async function insertMessage(
  db: Db,
  m: { externalUserId: string; accountId: string; channel: string; text: string; createdAt: number },
): Promise<number> {
  const rs = await db.execute({
    sql: `INSERT INTO sandbox_slack_messages (external_user_id, account_id, channel, text, created_at)
      VALUES (?, ?, ?, ?, ?) RETURNING id`,
    args: [m.externalUserId, m.accountId, m.channel, m.text, m.createdAt],
  });
  return Number(rs.rows[0].id);
}

/** A user's latest 100 messages in a channel, newest first. */
export async function listMessages(db: Db, externalUserId: string, channel: string): Promise<SlackMessage[]> {
  const rs = await db.execute({
    sql: `SELECT id, text, created_at FROM sandbox_slack_messages
      WHERE external_user_id = ? AND channel = ? ORDER BY id DESC LIMIT 100`,
    args: [externalUserId, channel],
  });
  return rs.rows.map((r) => ({ id: Number(r.id), text: String(r.text), createdAt: Number(r.created_at) }));
}
