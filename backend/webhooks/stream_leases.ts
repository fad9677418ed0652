/**
 * Open event streams, counted in the database so the caps per session and
 * per client address hold across instances. A stream holds a lease while it
 * is open; its instance renews all of its leases in one statement, and a
 * lease of an instance that died simply runs out.
 */
import type { Db } from "../database/db.ts";

export const LEASE_TTL_MS = 60_000;

export type LeaseCaps = { perUser: number; perAddress: number };

/** Takes a lease if the user and the address are under their caps; which cap was hit otherwise. */
export async function acquireLease(
  db: Db,
  lease: { id: string; instance: string; externalUserId: string; address: string },
  caps: LeaseCaps,
  nowMs: number,
): Promise<"ok" | "user_cap" | "address_cap"> {
  const rs = await db.execute({
    sql: `INSERT INTO stream_leases (id, instance, external_user_id, address, expires_ms)
      SELECT ?1, ?2, ?3, ?4, ?5 + ?6
      WHERE (SELECT COUNT(*) FROM stream_leases WHERE external_user_id = ?3 AND expires_ms > ?5) < ?7
        AND (SELECT COUNT(*) FROM stream_leases WHERE address = ?4 AND expires_ms > ?5) < ?8`,
    args: [
      lease.id,
      lease.instance,
      lease.externalUserId,
      lease.address,
      nowMs,
      LEASE_TTL_MS,
      caps.perUser,
      caps.perAddress,
    ],
  });
  if (rs.rowsAffected === 1) return "ok";
  const users = await db.execute({
    sql: "SELECT COUNT(*) AS n FROM stream_leases WHERE external_user_id = ? AND expires_ms > ?",
    args: [lease.externalUserId, nowMs],
  });
  return Number(users.rows[0].n) >= caps.perUser ? "user_cap" : "address_cap";
}

export async function releaseLease(db: Db, id: string): Promise<void> {
  await db.execute({ sql: "DELETE FROM stream_leases WHERE id = ?", args: [id] });
}

export async function renewLeases(db: Db, instance: string, nowMs: number): Promise<void> {
  await db.execute({
    sql: "UPDATE stream_leases SET expires_ms = ? WHERE instance = ?",
    args: [nowMs + LEASE_TTL_MS, instance],
  });
}
