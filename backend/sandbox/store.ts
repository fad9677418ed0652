/** Named queries over the sandbox's tables. */
import type { Db } from "../database/db.ts";
import { randomToken } from "../lib/crypto.ts";
import type { AccountRow } from "./wire.ts";

export const newId = (prefix: string) => `${prefix}${randomToken(12).replace(/[-_]/g, "x")}`;

export type ConnectToken = {
  token: string;
  externalUserId: string;
  expiresAt: number;
  allowedOrigins: string[];
  webhookUri: string | null;
  successRedirectUri: string | null;
  errorRedirectUri: string | null;
  usedAt: number | null;
};

export async function insertConnectToken(db: Db, t: ConnectToken): Promise<void> {
  await db.execute({
    sql: `INSERT INTO sandbox_connect_tokens
      (token, external_user_id, expires_at, allowed_origins, webhook_uri, success_redirect_uri, error_redirect_uri)
      VALUES (?, ?, ?, ?, ?, ?, ?)`,
    args: [
      t.token,
      t.externalUserId,
      t.expiresAt,
      JSON.stringify(t.allowedOrigins),
      t.webhookUri,
      t.successRedirectUri,
      t.errorRedirectUri,
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
  };
}

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
      `INSERT INTO sandbox_accounts (id, external_user_id, app, name, credentials, healthy, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    args: [
      a.id,
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

export async function listAccounts(
  db: Db,
  filter: { externalUserId?: string; app?: string },
): Promise<AccountRow[]> {
  const rs = await db.execute({
    sql:
      `SELECT * FROM sandbox_accounts WHERE (?1 IS NULL OR external_user_id = ?1) AND (?2 IS NULL OR app = ?2)
      ORDER BY created_at, id`,
    args: [filter.externalUserId ?? null, filter.app ?? null],
  });
  return rs.rows.map((r) => toAccount(r as Record<string, unknown>));
}

export async function findAccount(db: Db, id: string): Promise<AccountRow | undefined> {
  const rs = await db.execute({ sql: "SELECT * FROM sandbox_accounts WHERE id = ?", args: [id] });
  return rs.rows[0] ? toAccount(rs.rows[0] as Record<string, unknown>) : undefined;
}

export async function deleteAccounts(db: Db, where: { id?: string; externalUserId?: string; app?: string }) {
  await db.execute({
    sql: `DELETE FROM sandbox_accounts WHERE (?1 IS NULL OR id = ?1) AND (?2 IS NULL OR external_user_id = ?2)
      AND (?3 IS NULL OR app = ?3)`,
    args: [where.id ?? null, where.externalUserId ?? null, where.app ?? null],
  });
}

export type Deployment = {
  id: string;
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
    sql:
      `INSERT INTO sandbox_deployments (id, external_user_id, component_key, configured_props, dynamic_props_id,
      webhook_url, webhook_id, signing_key, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    args: [
      d.id,
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

export async function listDeployments(
  db: Db,
  filter: { externalUserId?: string; componentKey?: string; activeOnly?: boolean },
): Promise<Deployment[]> {
  const rs = await db.execute({
    sql: `SELECT * FROM sandbox_deployments WHERE deleted = 0 AND (?1 IS NULL OR external_user_id = ?1)
      AND (?2 IS NULL OR component_key = ?2) AND (?3 = 0 OR active = 1) ORDER BY created_at, id`,
    args: [filter.externalUserId ?? null, filter.componentKey ?? null, filter.activeOnly ? 1 : 0],
  });
  return rs.rows.map((r) => toDeployment(r as Record<string, unknown>));
}

export async function findDeployment(db: Db, id: string): Promise<Deployment | undefined> {
  const rs = await db.execute({
    sql: "SELECT * FROM sandbox_deployments WHERE id = ? AND deleted = 0",
    args: [id],
  });
  return rs.rows[0] ? toDeployment(rs.rows[0] as Record<string, unknown>) : undefined;
}

export async function updateDeployment(db: Db, id: string, patch: Partial<Deployment>, now: number) {
  const d = await findDeployment(db, id);
  if (!d) return undefined;
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
      id,
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

export async function getSetting(db: Db, key: string, create: () => string): Promise<string> {
  await db.execute({
    sql: "INSERT INTO sandbox_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
    args: [key, create()],
  });
  const rs = await db.execute({ sql: "SELECT value FROM sandbox_settings WHERE key = ?", args: [key] });
  return String(rs.rows[0].value);
}

export async function setSetting(db: Db, key: string, value: string): Promise<void> {
  await db.execute({
    sql:
      "INSERT INTO sandbox_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    args: [key, value],
  });
}
