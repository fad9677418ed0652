import type { Migration } from "./migrate.ts";

/** The app's own tables (the sandbox and the webhook store keep their own lists). */
export const appMigrations: Migration[] = [
  {
    id: "app-001-settings-runs-triggers",
    sql: [
      `CREATE TABLE IF NOT EXISTS app_settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      )`,
      `CREATE TABLE IF NOT EXISTS action_runs (
        id TEXT PRIMARY KEY,
        external_user_id TEXT NOT NULL,
        component_key TEXT NOT NULL,
        started_at TEXT NOT NULL,
        duration_ms INTEGER NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('success', 'error')),
        error TEXT,
        configured_props TEXT NOT NULL
      )`,
      `CREATE INDEX IF NOT EXISTS action_runs_user ON action_runs (external_user_id, started_at DESC)`,
      `CREATE TABLE IF NOT EXISTS deployed_triggers (
        id TEXT PRIMARY KEY,
        external_user_id TEXT NOT NULL,
        component_key TEXT NOT NULL,
        name TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        configured_props TEXT NOT NULL,
        signing_key TEXT,
        created_at TEXT NOT NULL,
        deleted_at TEXT
      )`,
      `CREATE INDEX IF NOT EXISTS deployed_triggers_user ON deployed_triggers (external_user_id, created_at DESC)`,
      `CREATE TABLE IF NOT EXISTS rate_limits (
        bucket TEXT PRIMARY KEY,
        tokens REAL NOT NULL,
        granted INTEGER NOT NULL DEFAULT 1,
        updated_ms INTEGER NOT NULL
      )`,
    ],
  },
  {
    id: "app-002-sdk-calls",
    sql: [
      `CREATE TABLE IF NOT EXISTS sdk_calls (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        external_user_id TEXT NOT NULL,
        at TEXT NOT NULL,
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        status INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL,
        request_body TEXT,
        response_body TEXT
      )`,
      `CREATE INDEX IF NOT EXISTS sdk_calls_user ON sdk_calls (external_user_id, id DESC)`,
    ],
  },
  {
    // Which user a connect token was minted for: Connect webhooks name the
    // token, and a CONNECTION_ERROR names nothing else.
    id: "app-003-connect-tokens",
    sql: [
      `CREATE TABLE IF NOT EXISTS connect_tokens (
        token_hash TEXT PRIMARY KEY,
        external_user_id TEXT NOT NULL,
        expires_at TEXT NOT NULL
      )`,
      `CREATE INDEX IF NOT EXISTS connect_tokens_expiry ON connect_tokens (expires_at)`,
    ],
  },
  {
    // A run Pipedream accepted with 202 has no result yet: its outcome is
    // `pending`. SQLite cannot change a CHECK constraint in place, so the
    // table is rebuilt with its rows.
    id: "app-004-run-outcome-pending",
    sql: [
      `CREATE TABLE action_runs_v2 (
        id TEXT PRIMARY KEY,
        external_user_id TEXT NOT NULL,
        component_key TEXT NOT NULL,
        started_at TEXT NOT NULL,
        duration_ms INTEGER NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('success', 'error', 'pending')),
        error TEXT,
        configured_props TEXT NOT NULL
      )`,
      `INSERT INTO action_runs_v2 SELECT id, external_user_id, component_key, started_at, duration_ms, outcome,
        error, configured_props FROM action_runs`,
      `DROP TABLE action_runs`,
      `ALTER TABLE action_runs_v2 RENAME TO action_runs`,
      `CREATE INDEX IF NOT EXISTS action_runs_user ON action_runs (external_user_id, started_at DESC)`,
    ],
  },
  {
    // Connect webhooks are authenticated by a secret in the URL each token
    // was minted with (Pipedream documents them unsigned).
    id: "app-005-connect-webhook-secret",
    sql: [
      `ALTER TABLE connect_tokens ADD COLUMN webhook_secret_hash TEXT`,
      `CREATE UNIQUE INDEX IF NOT EXISTS connect_tokens_webhook_secret ON connect_tokens (webhook_secret_hash)`,
    ],
  },
  {
    // Abuse resistance: server-side sessions; runs recorded before they are
    // sent (`running` until their outcome is known: see routes/actions.ts);
    // trigger deployments reserved before they are made (`deploying`); rate
    // limit rows that know when they are full again (and can be dropped);
    // stream leases shared by every instance. action_runs is rebuilt once
    // more, without a CHECK: its outcomes are checked in code from now on.
    id: "app-006-sessions-run-states-reservations",
    sql: [
      `CREATE TABLE IF NOT EXISTS sessions (
        token_hash TEXT PRIMARY KEY,
        external_user_id TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        expires_ms INTEGER NOT NULL
      )`,
      `CREATE INDEX IF NOT EXISTS sessions_user ON sessions (external_user_id)`,
      `CREATE INDEX IF NOT EXISTS sessions_expiry ON sessions (expires_ms)`,
      `CREATE TABLE action_runs_v3 (
        id TEXT PRIMARY KEY,
        external_user_id TEXT NOT NULL,
        component_key TEXT NOT NULL,
        started_at TEXT NOT NULL,
        duration_ms INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        error TEXT,
        configured_props TEXT NOT NULL
      )`,
      `INSERT INTO action_runs_v3 (id, external_user_id, component_key, started_at, duration_ms, outcome, error,
        configured_props) SELECT id, external_user_id, component_key, started_at, duration_ms, outcome, error,
        configured_props FROM action_runs`,
      `DROP TABLE action_runs`,
      `ALTER TABLE action_runs_v3 RENAME TO action_runs`,
      `CREATE INDEX IF NOT EXISTS action_runs_user ON action_runs (external_user_id, started_at DESC)`,
      `ALTER TABLE deployed_triggers ADD COLUMN state TEXT NOT NULL DEFAULT 'live'`,
      `CREATE INDEX IF NOT EXISTS deployed_triggers_live ON deployed_triggers (deleted_at, state)`,
      `ALTER TABLE rate_limits ADD COLUMN full_ms INTEGER NOT NULL DEFAULT 0`,
      `CREATE INDEX IF NOT EXISTS rate_limits_full ON rate_limits (full_ms)`,
      `CREATE INDEX IF NOT EXISTS sdk_calls_at ON sdk_calls (at)`,
      `CREATE TABLE IF NOT EXISTS stream_leases (
        id TEXT PRIMARY KEY,
        instance TEXT NOT NULL,
        external_user_id TEXT NOT NULL,
        address TEXT NOT NULL,
        expires_ms INTEGER NOT NULL
      )`,
      `CREATE INDEX IF NOT EXISTS stream_leases_user ON stream_leases (external_user_id, expires_ms)`,
      `CREATE INDEX IF NOT EXISTS stream_leases_address ON stream_leases (address, expires_ms)`,
      `CREATE INDEX IF NOT EXISTS stream_leases_instance ON stream_leases (instance)`,
    ],
  },
  {
    // What a run returned (redacted, bounded), so a past result can be reopened.
    id: "app-007-run-results",
    sql: [`ALTER TABLE action_runs ADD COLUMN result TEXT`],
  },
];
