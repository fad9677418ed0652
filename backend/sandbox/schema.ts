import type { Migration } from "../database/migrate.ts";
import { catalogMigrations } from "./catalog/tables.ts";

/**
 * The sandbox's own tables (all `sandbox_`), kept in the app's database so
 * its state survives restarts, then each catalog app's. (sandbox-001 once
 * created the apps' tables too; their own steps use CREATE TABLE IF NOT
 * EXISTS, so databases made before the move are unchanged.)
 */
export const sandboxMigrations: Migration[] = [{
  id: "sandbox-001",
  sql: [
    `CREATE TABLE IF NOT EXISTS sandbox_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS sandbox_oauth_tokens (token TEXT PRIMARY KEY, expires_at INTEGER NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS sandbox_connect_tokens (
      token TEXT PRIMARY KEY,
      external_user_id TEXT NOT NULL,
      expires_at INTEGER NOT NULL,
      allowed_origins TEXT NOT NULL,
      webhook_uri TEXT,
      success_redirect_uri TEXT,
      error_redirect_uri TEXT,
      used_at INTEGER
    )`,
    `CREATE TABLE IF NOT EXISTS sandbox_accounts (
      id TEXT PRIMARY KEY,
      external_user_id TEXT NOT NULL,
      app TEXT NOT NULL,
      name TEXT NOT NULL,
      credentials TEXT NOT NULL,
      healthy INTEGER NOT NULL DEFAULT 1,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS sandbox_accounts_user ON sandbox_accounts (external_user_id, created_at)`,
    `CREATE TABLE IF NOT EXISTS sandbox_dynamic_props (
      id TEXT PRIMARY KEY,
      component_key TEXT NOT NULL,
      external_user_id TEXT NOT NULL,
      configured_props TEXT NOT NULL,
      created_at INTEGER NOT NULL
    )`,
    `CREATE TABLE IF NOT EXISTS sandbox_deployments (
      id TEXT PRIMARY KEY,
      external_user_id TEXT NOT NULL,
      component_key TEXT NOT NULL,
      configured_props TEXT NOT NULL,
      dynamic_props_id TEXT,
      webhook_url TEXT,
      webhook_id TEXT NOT NULL,
      signing_key TEXT NOT NULL,
      active INTEGER NOT NULL DEFAULT 1,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      last_timer_at INTEGER,
      deleted INTEGER NOT NULL DEFAULT 0
    )`,
    `CREATE INDEX IF NOT EXISTS sandbox_deployments_user ON sandbox_deployments (external_user_id, deleted)`,
    `CREATE TABLE IF NOT EXISTS sandbox_events (
      id TEXT PRIMARY KEY,
      deployment_id TEXT NOT NULL,
      ts INTEGER NOT NULL,
      k TEXT NOT NULL,
      e TEXT NOT NULL,
      sum TEXT
    )`,
    `CREATE INDEX IF NOT EXISTS sandbox_events_deployment ON sandbox_events (deployment_id, ts DESC)`,
    `CREATE TABLE IF NOT EXISTS sandbox_deliveries (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      delivery_id TEXT NOT NULL,
      deployment_id TEXT,
      target_url TEXT NOT NULL,
      body TEXT NOT NULL,
      signing_key TEXT NOT NULL,
      extra_headers TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER NOT NULL,
      status TEXT NOT NULL DEFAULT 'pending',
      last_error TEXT
    )`,
    `CREATE INDEX IF NOT EXISTS sandbox_deliveries_due ON sandbox_deliveries (status, next_attempt_at)`,
  ],
}, {
  // A Connect token's scope (default connect:*) and the project environment it belongs to.
  id: "sandbox-002-token-scope-environment",
  sql: [
    `ALTER TABLE sandbox_connect_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'connect:*'`,
    `ALTER TABLE sandbox_connect_tokens ADD COLUMN environment TEXT NOT NULL DEFAULT 'development'`,
  ],
}, {
  // Deliveries are sent once (Pipedream was not seen to retry); faults may
  // drop, duplicate or retry one, and a retry resends the first request's
  // exact headers. Connect webhooks are unsigned unless asked (signing_key
  // ''). A deployment keeps the environment it was deployed in, which its
  // deliveries name in x-pd-environment.
  id: "sandbox-003-delivery-faults",
  sql: [
    `ALTER TABLE sandbox_deliveries ADD COLUMN copies INTEGER NOT NULL DEFAULT 1`,
    `ALTER TABLE sandbox_deliveries ADD COLUMN max_attempts INTEGER NOT NULL DEFAULT 1`,
    `ALTER TABLE sandbox_deliveries ADD COLUMN sent_headers TEXT`,
    `ALTER TABLE sandbox_deployments ADD COLUMN environment TEXT NOT NULL DEFAULT 'development'`,
  ],
}, {
  // Accounts and reload-props ids (deployments already have theirs) belong
  // to one project environment, as they do in Pipedream: a call in the other
  // environment does not see them. Rows made before are development's.
  id: "sandbox-004-environments",
  sql: [
    `ALTER TABLE sandbox_accounts ADD COLUMN environment TEXT NOT NULL DEFAULT 'development'`,
    `ALTER TABLE sandbox_dynamic_props ADD COLUMN environment TEXT NOT NULL DEFAULT 'development'`,
    `DROP INDEX IF EXISTS sandbox_accounts_user`,
    `CREATE INDEX IF NOT EXISTS sandbox_accounts_env_user ON sandbox_accounts (environment, external_user_id, created_at)`,
    `DROP INDEX IF EXISTS sandbox_deployments_user`,
    `CREATE INDEX IF NOT EXISTS sandbox_deployments_env_user ON sandbox_deployments (environment, external_user_id, deleted)`,
  ],
}, {
  // Storage budgets: dynamic props, finished deliveries and spent tokens expire (store.ts: expireSandboxRows).
  id: "sandbox-005-expiry-indexes",
  sql: [
    `CREATE INDEX IF NOT EXISTS sandbox_dynamic_props_created ON sandbox_dynamic_props (created_at)`,
    `CREATE INDEX IF NOT EXISTS sandbox_connect_tokens_expiry ON sandbox_connect_tokens (expires_at)`,
    `CREATE INDEX IF NOT EXISTS sandbox_oauth_tokens_expiry ON sandbox_oauth_tokens (expires_at)`,
  ],
}, ...catalogMigrations];
