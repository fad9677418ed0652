import type { SdkCall } from "../../shared/api.ts";
import type { Db } from "./db.ts";

const KEEP_PER_USER = 200;

export async function insertSdkCall(
  db: Db,
  externalUserId: string,
  call: Omit<SdkCall, "id">,
): Promise<void> {
  await db.batch([
    {
      sql: `INSERT INTO sdk_calls
        (external_user_id, at, method, path, status, duration_ms, request_body, response_body)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      args: [
        externalUserId,
        call.at,
        call.method,
        call.path,
        call.status,
        call.durationMs,
        call.requestBody ?? null,
        call.responseBody ?? null,
      ],
    },
    {
      // Bounded per user: the inspector shows recent calls, not an archive.
      sql: `DELETE FROM sdk_calls WHERE external_user_id = ?1 AND id <= (
        SELECT id FROM sdk_calls WHERE external_user_id = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)`,
      args: [externalUserId, KEEP_PER_USER],
    },
  ], "write");
}

export async function listSdkCalls(db: Db, externalUserId: string, limit = 100): Promise<SdkCall[]> {
  const rs = await db.execute({
    sql: `SELECT id, at, method, path, status, duration_ms, request_body, response_body
      FROM sdk_calls WHERE external_user_id = ? ORDER BY id DESC LIMIT ?`,
    args: [externalUserId, limit],
  });
  return rs.rows.map((r) => ({
    id: Number(r.id),
    at: String(r.at),
    method: String(r.method),
    path: String(r.path),
    status: Number(r.status),
    durationMs: Number(r.duration_ms),
    ...(r.request_body == null ? {} : { requestBody: String(r.request_body) }),
    ...(r.response_body == null ? {} : { responseBody: String(r.response_body) }),
  }));
}

export async function clearSdkCalls(db: Db, externalUserId: string): Promise<void> {
  await db.execute({ sql: "DELETE FROM sdk_calls WHERE external_user_id = ?", args: [externalUserId] });
}
