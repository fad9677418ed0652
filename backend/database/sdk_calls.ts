import type { SdkCall } from "../../shared/api.ts";
import type { Db } from "./db.ts";
import { GroupCommitter, insertRows, type Once, type RowSink } from "./group_commit.ts";
import { TrimSchedule } from "./trim_schedule.ts";

const KEEP_PER_USER = 200;

type Row = Omit<SdkCall, "id"> & { externalUserId: string };

/** Every call recorded while a commit is under way goes into one INSERT. */
const calls: RowSink<Row> = {
  key: "sdk_calls",
  statement: (rows) =>
    insertRows(
      "sdk_calls",
      ["external_user_id", "at", "method", "path", "status", "duration_ms", "request_body", "response_body"],
      rows.map((r) => [
        r.externalUserId,
        r.at,
        r.method,
        r.path,
        r.status,
        r.durationMs,
        r.requestBody ?? null,
        r.responseBody ?? null,
      ]),
    ),
};

/** Bounded per user: the inspector shows recent calls, not an archive. */
function trimStatement(externalUserId: string, keep: number): Once {
  return [`sdk_calls:${externalUserId}`, {
    sql: `DELETE FROM sdk_calls WHERE external_user_id = ?1 AND id <= (
      SELECT id FROM sdk_calls WHERE external_user_id = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)`,
    args: [externalUserId, keep],
  }];
}

/**
 * Writes to one database, group-committed off the response path: recording
 * a call does not hold up the call it records. Reads of the log first wait
 * for the writes already made, so a user never misses a call of theirs.
 */
type Writer = { committer: GroupCommitter; trims: TrimSchedule; pending: Set<Promise<void>> };
const writers = new WeakMap<Db, Writer>();

function writerFor(db: Db): Writer {
  let w = writers.get(db);
  if (!w) {
    w = {
      committer: new GroupCommitter(db),
      trims: new TrimSchedule(KEEP_PER_USER, trimStatement),
      pending: new Set(),
    };
    writers.set(db, w);
  }
  return w;
}

/** Once every SDK call handed over so far is stored (or failed): before reading or deleting them. */
export async function sdkCallWritesSettled(db: Db): Promise<void> {
  await Promise.allSettled([...writerFor(db).pending]);
}

/**
 * Stores a call (or the call once known: its response may still be read).
 * Resolves when it is stored; nothing needs to wait for that but the log's
 * readers, who do.
 */
export function insertSdkCall(
  db: Db,
  externalUserId: string,
  call: Omit<SdkCall, "id"> | Promise<Omit<SdkCall, "id">>,
): Promise<void> {
  const w = writerFor(db);
  const written = Promise.resolve(call).then((c) =>
    w.committer.commitRow(calls, { ...c, externalUserId }, w.trims.stored(externalUserId))
  );
  w.pending.add(written);
  written.then(() => w.pending.delete(written), () => w.pending.delete(written));
  return written;
}

export async function listSdkCalls(db: Db, externalUserId: string, limit = 100): Promise<SdkCall[]> {
  await sdkCallWritesSettled(db);
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
  // A call still being written would land after the clear.
  await sdkCallWritesSettled(db);
  await db.execute({ sql: "DELETE FROM sdk_calls WHERE external_user_id = ?", args: [externalUserId] });
}
