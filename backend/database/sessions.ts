/**
 * Server-side sessions: the cookie holds a random token, the database its
 * hash, the user it speaks for and when it expires. Revoking is deleting the
 * row, so it takes effect on every instance at once.
 */
import type { Db } from "./db.ts";
import { sha256Hex as hashToken } from "../lib/crypto.ts";

export type SessionRow = { externalUserId: string; createdMs: number; expiresMs: number };

export async function insertSession(
  db: Db,
  token: string,
  externalUserId: string,
  nowMs: number,
  ttlMs: number,
): Promise<void> {
  await db.execute({
    sql: "INSERT INTO sessions (token_hash, external_user_id, created_ms, expires_ms) VALUES (?, ?, ?, ?)",
    args: [await hashToken(token), externalUserId, nowMs, nowMs + ttlMs],
  });
}

/** The live session a token names, if any. */
export async function findSession(db: Db, token: string, nowMs: number): Promise<SessionRow | undefined> {
  const rs = await db.execute({
    sql:
      "SELECT external_user_id, created_ms, expires_ms FROM sessions WHERE token_hash = ? AND expires_ms > ?",
    args: [await hashToken(token), nowMs],
  });
  const r = rs.rows[0];
  return r
    ? {
      externalUserId: String(r.external_user_id),
      createdMs: Number(r.created_ms),
      expiresMs: Number(r.expires_ms),
    }
    : undefined;
}

/**
 * Replaces a session with a new token for the same user. The old token keeps
 * working for `graceMs` (requests already in flight carry it), then expires.
 */
export async function rotateSession(
  db: Db,
  oldToken: string,
  newToken: string,
  externalUserId: string,
  nowMs: number,
  ttlMs: number,
  graceMs: number,
): Promise<void> {
  await db.batch([
    {
      sql: "UPDATE sessions SET expires_ms = MIN(expires_ms, ?) WHERE token_hash = ?",
      args: [nowMs + graceMs, await hashToken(oldToken)],
    },
    {
      sql: "INSERT INTO sessions (token_hash, external_user_id, created_ms, expires_ms) VALUES (?, ?, ?, ?)",
      args: [await hashToken(newToken), externalUserId, nowMs, nowMs + ttlMs],
    },
  ], "write");
}
