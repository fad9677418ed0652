/**
 * The connect tokens this app minted, stored hashed: which user each was for,
 * and the hashed secret in the Connect webhook URL it was minted with. The
 * secret is what authenticates a Connect webhook (Pipedream may not sign
 * them), so a request to the URL names its user without trusting the body.
 */
import { sha256Hex } from "../lib/crypto.ts";
import type { Db } from "./db.ts";

/** A Connect webhook may arrive a little after its token expired (the user connected just in time). */
export const WEBHOOK_GRACE_MS = 60 * 60_000;

export type MintedToken = {
  token: string;
  externalUserId: string;
  expiresAt: string;
  webhookSecret: string;
};

/** Tokens past their expiry and its grace period: nothing can arrive for them any more. */
export const expiredConnectTokensStatement = (nowMs: number) => ({
  sql: "DELETE FROM connect_tokens WHERE expires_at < ?",
  args: [new Date(nowMs - WEBHOOK_GRACE_MS).toISOString()],
});

export async function rememberConnectToken(db: Db, t: MintedToken, nowMs: number): Promise<void> {
  await db.batch([
    expiredConnectTokensStatement(nowMs),
    {
      sql: `INSERT INTO connect_tokens (token_hash, external_user_id, expires_at, webhook_secret_hash)
        VALUES (?, ?, ?, ?) ON CONFLICT (token_hash) DO NOTHING`,
      args: [await sha256Hex(t.token), t.externalUserId, t.expiresAt, await sha256Hex(t.webhookSecret)],
    },
  ], "write");
}

export type ConnectHook = { externalUserId: string; tokenHash: string };

/** The token a Connect webhook URL secret was minted with, unless unknown or long expired. */
export async function findConnectHook(
  db: Db,
  secret: string,
  nowMs: number,
): Promise<ConnectHook | undefined> {
  const rs = await db.execute({
    sql: "SELECT external_user_id, token_hash, expires_at FROM connect_tokens WHERE webhook_secret_hash = ?",
    args: [await sha256Hex(secret)],
  });
  const r = rs.rows[0];
  if (!r || Date.parse(String(r.expires_at)) + WEBHOOK_GRACE_MS < nowMs) return undefined;
  return { externalUserId: String(r.external_user_id), tokenHash: String(r.token_hash) };
}
