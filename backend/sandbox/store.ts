/**
 * Named queries over the sandbox's own tables (`sandbox_*`, see schema.ts).
 * Each catalog app keeps the queries over its tables in its own folder.
 */
import type { Db } from "../database/db.ts";
import { randomToken } from "../lib/crypto.ts";
import type { Owner, ProjectEnvironment } from "./environment.ts";
import type { AccountRow } from "./wire.ts";

/** An id: a prefix and 12 random letters or digits. */
export const newId = (prefix: string) => `${prefix}${randomToken(12).replace(/[-_]/g, "x")}`;

/** A secret (signing key, token): a prefix and 32 random letters or digits. */
export const newSecret = (prefix: string) => `${prefix}${randomToken(24).replace(/[-_]/g, "0")}`;

/** Stores a server access token, dropping expired ones. */
export async function insertOAuthToken(db: Db, token: string, expiresAt: number, now: number): Promise<void> {
  await db.batch([
    { sql: "DELETE FROM sandbox_oauth_tokens WHERE expires_at < ?", args: [now] },
    { sql: "INSERT INTO sandbox_oauth_tokens (token, expires_at) VALUES (?, ?)", args: [token, expiresAt] },
  ], "write");
}

export async function findOAuthTokenExpiry(db: Db, token: string): Promise<number | undefined> {
  const rs = await db.execute({
    sql: "SELECT expires_at FROM sandbox_oauth_tokens WHERE token = ?",
    args: [token],
  });
  return rs.rows[0] ? Number(rs.rows[0].expires_at) : undefined;
}

export type ConnectToken = {
  token: string;
  externalUserId: string;
  expiresAt: number;
  allowedOrigins: string[];
  webhookUri: string | null;
  successRedirectUri: string | null;
  errorRedirectUri: string | null;
  usedAt: number | null;
  /** Space-separated scopes (sandbox/scopes.ts). */
  scope: string;
  environment: ProjectEnvironment;
};

export async function insertConnectToken(db: Db, t: ConnectToken): Promise<void> {
  await db.execute({
    sql: `INSERT INTO sandbox_connect_tokens
      (token, external_user_id, expires_at, allowed_origins, webhook_uri, success_redirect_uri, error_redirect_uri,
       scope, environment)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    args: [
      t.token,
      t.externalUserId,
      t.expiresAt,
      JSON.stringify(t.allowedOrigins),
      t.webhookUri,
      t.successRedirectUri,
      t.errorRedirectUri,
      t.scope,
      t.environment,
    ],
  });
}

export async function findConnectToken(db: Db, token: string): Promise<ConnectToken | undefined> {
  const rs = await db.execute({ sql: "SELECT * FROM sandbox_connect_tokens WHERE token = ?", args: [token] });
  const r = rs.rows[0];
  if (!r) return undefined;
  return {
    token: String(r.token),
    externalUserId: String(r.external_user_id),
    expiresAt: Number(r.expires_at),
    allowedOrigins: JSON.parse(String(r.allowed_origins)),
    webhookUri: r.webhook_uri == null ? null : String(r.webhook_uri),
    successRedirectUri: r.success_redirect_uri == null ? null : String(r.success_redirect_uri),
    errorRedirectUri: r.error_redirect_uri == null ? null : String(r.error_redirect_uri),
    usedAt: r.used_at == null ? null : Number(r.used_at),
    scope: String(r.scope),
    environment: environmentOfRow(r),
  };
}

const environmentOfRow = (r: Record<string, unknown>): ProjectEnvironment =>
  r.environment === "production" ? "production" : "development";

/** Spends a token; false when it was already spent (a token connects one account). */
export async function spendConnectToken(db: Db, token: string, now: number): Promise<boolean> {
  const rs = await db.execute({
    sql: "UPDATE sandbox_connect_tokens SET used_at = ? WHERE token = ? AND used_at IS NULL",
    args: [now, token],
  });
  return rs.rowsAffected === 1;
}

function toAccount(r: Record<string, unknown>): AccountRow {
  return {
    id: String(r.id),
    environment: environmentOfRow(r),
    externalUserId: String(r.external_user_id),
    app: String(r.app),
    name: String(r.name),
    credentials: JSON.parse(String(r.credentials)),
    healthy: Number(r.healthy) === 1,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export async function insertAccount(db: Db, a: AccountRow): Promise<void> {
  await db.execute({
    sql:
      `INSERT INTO sandbox_accounts (id, environment, external_user_id, app, name, credentials, healthy, created_at,
      updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    args: [
      a.id,
      a.environment,
      a.externalUserId,
      a.app,
      a.name,
      JSON.stringify(a.credentials),
      a.healthy ? 1 : 0,
      a.createdAt,
      a.updatedAt,
    ],
  });
}

/** An environment's accounts, by user and app when given. */
export async function listAccounts(
  db: Db,
  filter: { environment: ProjectEnvironment; externalUserId?: string; app?: string },
): Promise<AccountRow[]> {
  const rs = await db.execute({
    sql: `SELECT * FROM sandbox_accounts WHERE environment = ?1 AND (?2 IS NULL OR external_user_id = ?2)
      AND (?3 IS NULL OR app = ?3) ORDER BY created_at, id`,
    args: [filter.environment, filter.externalUserId ?? null, filter.app ?? null],
  });
  return rs.rows.map((r) => toAccount(r as Record<string, unknown>));
}

/** An account of this environment (another environment's does not exist here). */
export async function findAccount(
  db: Db,
  environment: ProjectEnvironment,
  id: string,
): Promise<AccountRow | undefined> {
  const rs = await db.execute({
    sql: "SELECT * FROM sandbox_accounts WHERE id = ? AND environment = ?",
    args: [id, environment],
  });
  return rs.rows[0] ? toAccount(rs.rows[0] as Record<string, unknown>) : undefined;
}

/** Reconnecting: the same account with new credentials, healthy again. */
export async function refreshAccount(
  db: Db,
  a: AccountRow,
  credentials: Record<string, string>,
  now: number,
): Promise<AccountRow> {
  await db.execute({
    sql: "UPDATE sandbox_accounts SET credentials = ?, healthy = 1, updated_at = ? WHERE id = ?",
    args: [JSON.stringify(credentials), now, a.id],
  });
  return { ...a, credentials, healthy: true, updatedAt: now };
}

export async function deleteAccounts(
  db: Db,
  where: { environment: ProjectEnvironment; id?: string; externalUserId?: string; app?: string },
) {
  await db.execute({
    sql: `DELETE FROM sandbox_accounts WHERE environment = ?4 AND (?1 IS NULL OR id = ?1)
      AND (?2 IS NULL OR external_user_id = ?2) AND (?3 IS NULL OR app = ?3)`,
    args: [where.id ?? null, where.externalUserId ?? null, where.app ?? null, where.environment],
  });
}

export type Deployment = {
  id: string;
  /** The project environment it was deployed in (its deliveries say so in x-pd-environment). */
  environment: ProjectEnvironment;
  externalUserId: string;
  componentKey: string;
  configuredProps: Record<string, unknown>;
  dynamicPropsId: string | null;
  webhookUrl: string | null;
  webhookId: string;
  signingKey: string;
  active: boolean;
  createdAt: number;
  updatedAt: number;
  lastTimerAt: number | null;
};

function toDeployment(r: Record<string, unknown>): Deployment {
  return {
    id: String(r.id),
    environment: environmentOfRow(r),
    externalUserId: String(r.external_user_id),
    componentKey: String(r.component_key),
    configuredProps: JSON.parse(String(r.configured_props)),
    dynamicPropsId: r.dynamic_props_id == null ? null : String(r.dynamic_props_id),
    webhookUrl: r.webhook_url == null ? null : String(r.webhook_url),
    webhookId: String(r.webhook_id),
    signingKey: String(r.signing_key),
    active: Number(r.active) === 1,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    lastTimerAt: r.last_timer_at == null ? null : Number(r.last_timer_at),
  };
}

export async function insertDeployment(db: Db, d: Deployment): Promise<void> {
  await db.execute({
    sql: `INSERT INTO sandbox_deployments (id, environment, external_user_id, component_key, configured_props,
      dynamic_props_id, webhook_url, webhook_id, signing_key, active, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    args: [
      d.id,
      d.environment,
      d.externalUserId,
      d.componentKey,
      JSON.stringify(d.configuredProps),
      d.dynamicPropsId,
      d.webhookUrl,
      d.webhookId,
      d.signingKey,
      d.active ? 1 : 0,
      d.createdAt,
      d.updatedAt,
    ],
  });
}

/**
 * Deployments, by environment, user and component when given. Without an
 * environment, every environment's: timers run them all, and an event in a
 * user's (stand-in) third-party account reaches each deployment watching it.
 */
export async function listDeployments(
  db: Db,
  filter: {
    environment?: ProjectEnvironment;
    externalUserId?: string;
    componentKey?: string;
    activeOnly?: boolean;
  },
): Promise<Deployment[]> {
  const rs = await db.execute({
    sql: `SELECT * FROM sandbox_deployments WHERE deleted = 0 AND (?4 IS NULL OR environment = ?4)
      AND (?1 IS NULL OR external_user_id = ?1) AND (?2 IS NULL OR component_key = ?2) AND (?3 = 0 OR active = 1)
      ORDER BY created_at, id`,
    args: [
      filter.externalUserId ?? null,
      filter.componentKey ?? null,
      filter.activeOnly ? 1 : 0,
      filter.environment ?? null,
    ],
  });
  return rs.rows.map((r) => toDeployment(r as Record<string, unknown>));
}

/** A deployment of this environment (another environment's does not exist here). */
export async function findDeployment(
  db: Db,
  environment: ProjectEnvironment,
  id: string,
): Promise<Deployment | undefined> {
  const rs = await db.execute({
    sql: "SELECT * FROM sandbox_deployments WHERE id = ? AND environment = ? AND deleted = 0",
    args: [id, environment],
  });
  return rs.rows[0] ? toDeployment(rs.rows[0] as Record<string, unknown>) : undefined;
}

export async function updateDeployment(db: Db, d: Deployment, patch: Partial<Deployment>, now: number) {
  const next = { ...d, ...patch, updatedAt: now };
  await db.execute({
    sql: `UPDATE sandbox_deployments SET active = ?, configured_props = ?, webhook_url = ?, signing_key = ?,
      last_timer_at = ?, updated_at = ? WHERE id = ?`,
    args: [
      next.active ? 1 : 0,
      JSON.stringify(next.configuredProps),
      next.webhookUrl,
      next.signingKey,
      next.lastTimerAt,
      now,
      d.id,
    ],
  });
  return next;
}

export async function deleteDeployment(db: Db, id: string): Promise<void> {
  await db.batch([
    { sql: "UPDATE sandbox_deployments SET deleted = 1, active = 0 WHERE id = ?", args: [id] },
    { sql: "DELETE FROM sandbox_deliveries WHERE deployment_id = ? AND status = 'pending'", args: [id] },
  ], "write");
}

/** Remembers a reload-props call, so a later run can name it by id. */
export async function insertDynamicProps(
  db: Db,
  p: {
    id: string;
    environment: ProjectEnvironment;
    componentKey: string;
    externalUserId: string;
    configuredProps: unknown;
    createdAt: number;
  },
): Promise<void> {
  await db.execute({
    sql:
      `INSERT INTO sandbox_dynamic_props (id, environment, component_key, external_user_id, configured_props,
      created_at) VALUES (?, ?, ?, ?, ?, ?)`,
    args: [
      p.id,
      p.environment,
      p.componentKey,
      p.externalUserId,
      JSON.stringify(p.configuredProps),
      p.createdAt,
    ],
  });
}

export async function dynamicPropsExist(
  db: Db,
  owner: Owner,
  id: string,
  componentKey: string,
): Promise<boolean> {
  const rs = await db.execute({
    sql: `SELECT 1 FROM sandbox_dynamic_props WHERE id = ? AND component_key = ? AND external_user_id = ?
      AND environment = ?`,
    args: [id, componentKey, owner.externalUserId, owner.environment],
  });
  return rs.rows.length > 0;
}

export type EmittedEvent = { id: string; ts: number; k: string; e: unknown; sum?: string };

/** A deployment's most recent events, newest first. */
export async function listEvents(db: Db, deploymentId: string, limit: number): Promise<EmittedEvent[]> {
  const rs = await db.execute({
    sql:
      "SELECT id, ts, k, e, sum FROM sandbox_events WHERE deployment_id = ? ORDER BY ts DESC, id DESC LIMIT ?",
    args: [deploymentId, limit],
  });
  return rs.rows.map((r) => ({
    id: String(r.id),
    ts: Number(r.ts),
    k: String(r.k),
    e: JSON.parse(String(r.e)),
    ...(r.sum == null ? {} : { sum: String(r.sum) }),
  }));
}

/** Each environment has its own project webhook and key (development's keeps the name it always had). */
const projectWebhookKeySetting = (environment: ProjectEnvironment) =>
  environment === "development"
    ? "project_webhook_signing_key"
    : `project_webhook_signing_key:${environment}`;

/** The key an environment's Connect webhooks are signed with (made on first use). */
export const projectWebhookKey = (db: Db, environment: ProjectEnvironment) =>
  getSetting(db, projectWebhookKeySetting(environment), () => newSecret("sbx_sec_"));

export async function getSetting(db: Db, key: string, create: () => string): Promise<string> {
  await db.execute({
    sql: "INSERT INTO sandbox_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
    args: [key, create()],
  });
  const rs = await db.execute({ sql: "SELECT value FROM sandbox_settings WHERE key = ?", args: [key] });
  return String(rs.rows[0].value);
}

/**
 * How long the sandbox keeps what only matters for a while (our choice;
 * Pipedream does not document its own retention of these).
 */
export const SANDBOX_KEEP_MS = 24 * 60 * 60_000;

/** Deletes expired tokens, finished deliveries and old dynamic props. */
export async function expireSandboxRows(db: Db, now: number): Promise<void> {
  const before = now - SANDBOX_KEEP_MS;
  await db.batch([
    { sql: "DELETE FROM sandbox_oauth_tokens WHERE expires_at < ?", args: [now] },
    { sql: "DELETE FROM sandbox_connect_tokens WHERE expires_at < ?", args: [before] },
    { sql: "DELETE FROM sandbox_dynamic_props WHERE created_at < ?", args: [before] },
    {
      sql: "DELETE FROM sandbox_deliveries WHERE status <> 'pending' AND next_attempt_at < ?",
      args: [before],
    },
  ], "write");
}
