import type { Db } from "./db.ts";
import { sha256Hex } from "../lib/crypto.ts";

/** Tokens are stored hashed: the table maps a token to its user without holding a usable token. */
export function hashToken(token: string): Promise<string> {
  return sha256Hex(token);
}

export async function rememberConnectToken(
  db: Db,
  token: string,
  externalUserId: string,
  expiresAt: string,
  nowIso: string,
): Promise<void> {
  await db.batch([
    { sql: "DELETE FROM connect_tokens WHERE expires_at < ?", args: [nowIso] },
    {
      sql: `INSERT INTO connect_tokens (token_hash, external_user_id, expires_at) VALUES (?, ?, ?)
        ON CONFLICT (token_hash) DO NOTHING`,
      args: [await hashToken(token), externalUserId, expiresAt],
    },
  ], "write");
}

export async function connectTokenOwner(db: Db, token: string): Promise<string | undefined> {
  const rs = await db.execute({
    sql: "SELECT external_user_id FROM connect_tokens WHERE token_hash = ?",
    args: [await hashToken(token)],
  });
  return rs.rows[0] ? String(rs.rows[0].external_user_id) : undefined;
}
