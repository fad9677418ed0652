import type { Migration } from "../database/migrate.ts";

/**
 * Trigger events and Connect events as received. `seq` orders them for
 * cursors and the live stream; the unique keys make a redelivery (same event
 * id, or the same signed body) a no-op.
 */
export const webhookMigrations: Migration[] = [{
  id: "webhooks-001",
  sql: [
    `CREATE TABLE IF NOT EXISTS webhook_events (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      event_id TEXT NOT NULL,
      deployment_id TEXT NOT NULL,
      external_user_id TEXT NOT NULL,
      body_hash TEXT NOT NULL UNIQUE,
      received_at TEXT NOT NULL,
      summary TEXT,
      event TEXT NOT NULL,
      UNIQUE (deployment_id, event_id)
    )`,
    `CREATE INDEX IF NOT EXISTS webhook_events_user ON webhook_events (external_user_id, seq)`,
    `CREATE INDEX IF NOT EXISTS webhook_events_deployment ON webhook_events (deployment_id, seq)`,
    `CREATE TABLE IF NOT EXISTS connect_events (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      body_hash TEXT NOT NULL UNIQUE,
      external_user_id TEXT NOT NULL,
      type TEXT NOT NULL,
      account_id TEXT,
      error TEXT,
      received_at TEXT NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS connect_events_user ON connect_events (external_user_id, seq)`,
  ],
}];
