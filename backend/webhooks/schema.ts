import type { Migration } from "../database/migrate.ts";
import { claimTriggerSql } from "./store.ts";

/**
 * Trigger events and Connect events as received. `seq` orders them for
 * cursors and the live stream.
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
}, {
  // Pipedream's deliveries carry no event id, and it does not retry: an event
  // is now keyed by the signed delivery that brought it (`delivery_key`,
  // deployment + signature: a replay adds nothing) and by its id in
  // Pipedream's event log once recovery has seen it (`log_event_id`). Its
  // content hash pairs a delivery with its log entry, but is not unique: two
  // events with equal content are two rows. Old rows keep their seq (so
  // stream positions stay valid) and their event id, which was the log's id.
  id: "webhooks-002-delivery-and-log-keys",
  sql: [
    `ALTER TABLE webhook_events RENAME TO webhook_events_v1`,
    `CREATE TABLE webhook_events (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      deployment_id TEXT NOT NULL,
      external_user_id TEXT NOT NULL,
      content_hash TEXT NOT NULL,
      delivery_key TEXT UNIQUE,
      log_event_id TEXT,
      source TEXT NOT NULL CHECK (source IN ('webhook', 'recovered')),
      emitted_at INTEGER NOT NULL,
      received_at TEXT NOT NULL,
      summary TEXT,
      event TEXT NOT NULL,
      UNIQUE (deployment_id, log_event_id)
    )`,
    `INSERT INTO webhook_events (seq, deployment_id, external_user_id, content_hash, delivery_key, log_event_id,
      source, emitted_at, received_at, summary, event)
      SELECT seq, deployment_id, external_user_id, 'legacy:' || body_hash, NULL, event_id, 'webhook',
        CAST(ROUND((julianday(received_at) - 2440587.5) * 86400000) AS INTEGER), received_at, summary, event
      FROM webhook_events_v1`,
    // Keep the sequence past every seq ever handed out, even if those rows are gone.
    `INSERT INTO sqlite_sequence (name, seq)
      SELECT 'webhook_events', seq FROM sqlite_sequence WHERE name = 'webhook_events_v1'
      AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'webhook_events')`,
    `UPDATE sqlite_sequence SET seq = (SELECT MAX(seq) FROM sqlite_sequence
      WHERE name IN ('webhook_events', 'webhook_events_v1')) WHERE name = 'webhook_events'`,
    `DROP TABLE webhook_events_v1`,
    `CREATE INDEX webhook_events_user ON webhook_events (external_user_id, seq)`,
    `CREATE INDEX webhook_events_deployment ON webhook_events (deployment_id, seq)`,
    `CREATE INDEX webhook_events_content ON webhook_events (deployment_id, content_hash, emitted_at)`,
  ],
}, {
  // Storing a delivery is one row in one INSERT, and costs as few pages as
  // it can: a delivery claims the row recovery made of its event in the
  // database (store.ts, claimTriggerSql), and only recovered rows that no
  // delivery has claimed are indexed by content (a handful), instead of
  // every event (an index whose random order cost a page per event).
  // Recovery pairs a log entry with its delivery by time first
  // (webhook_events_emitted), then content. Delivery keys put the signed `t`
  // before the signature (store.ts, deliveryKey), so their index grows at
  // its end; a row whose `t` is not kept (a recovered row a delivery
  // claimed) keeps its old key, and only a replay of that delivery within
  // its 5-minute window around this upgrade could be taken as new.
  id: "webhooks-003-claim-on-insert",
  sql: [
    `UPDATE webhook_events SET delivery_key = deployment_id || ':' || (emitted_at / 1000) || ':' ||
      substr(delivery_key, length(deployment_id) + 2) WHERE source = 'webhook' AND delivery_key IS NOT NULL`,
    `DROP INDEX webhook_events_content`,
    `CREATE INDEX webhook_events_emitted ON webhook_events (deployment_id, emitted_at)`,
    `CREATE INDEX webhook_events_unclaimed ON webhook_events (deployment_id, content_hash, emitted_at)
      WHERE source = 'recovered' AND delivery_key IS NULL`,
    claimTriggerSql(),
  ],
}, {
  // Verified deliveries are acknowledged once written to this instance's
  // journal file and imported into webhook_events behind it
  // (delivery_journal.ts). How far each journal file has been imported is
  // committed with the rows it brought, so a file is never imported twice:
  // a second import would bring back rows that retention has trimmed since.
  id: "webhooks-004-delivery-journals",
  sql: [
    `CREATE TABLE delivery_journals (
      name TEXT PRIMARY KEY,
      imported_bytes INTEGER NOT NULL
    )`,
  ],
}];
