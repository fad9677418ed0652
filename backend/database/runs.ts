import { type RunDetail, RunOutcome, type RunRecord } from "../../shared/api.ts";
import { truncateForStorage } from "../lib/truncate.ts";
import type { Db } from "./db.ts";
import type { Once } from "./group_commit.ts";
import { TrimSchedule } from "./trim_schedule.ts";

export type NewRun = Omit<RunRecord, "outcome" | "durationMs"> & { externalUserId: string };
/** What a run returned, kept so the run history can show it again. */
export type RunResult = NonNullable<RunDetail["result"]>;

/** History is for reading recent runs; older ones are dropped so it cannot grow without bound. */
export const KEEP_RUNS_PER_USER = 500;

/**
 * A run still `running` after this long was sent, but whoever sent it never
 * recorded the answer (the process stopped): its outcome is unknown. It is
 * well past the SDK's timeout, so no instance can still be waiting for it.
 */
export const RUN_OUTCOME_UNKNOWN_AFTER_MS = 2 * 60_000;

const MAX_ERROR_CHARS = 500;
/** A result larger than this is kept without its `ret` (history is not storage). */
export const MAX_RESULT_CHARS = 64_000;

function resultText(result: RunResult | undefined): string | null {
  if (!result) return null;
  const text = JSON.stringify(result);
  if (text.length <= MAX_RESULT_CHARS) return text;
  const trimmed = { ...result, ret: `[not kept: ${text.length} characters]`, os: result.os.slice(-50) };
  const again = JSON.stringify(trimmed);
  return again.length <= MAX_RESULT_CHARS ? again : JSON.stringify({ ...trimmed, exports: {}, os: [] });
}

/** Keeps a user's newest runs (keyed, run with the insert; see TrimSchedule). */
function trimRuns(externalUserId: string, keep: number): Once {
  return [`action_runs:${externalUserId}`, {
    sql: `DELETE FROM action_runs WHERE external_user_id = ?1 AND id IN (
      SELECT id FROM action_runs WHERE external_user_id = ?1 ORDER BY started_at DESC, id DESC LIMIT -1 OFFSET ?2)`,
    args: [externalUserId, keep],
  }];
}

/** When each database's run history is trimmed (every tenth of the limit per user, not with every run). */
const trims = new WeakMap<Db, TrimSchedule>();

/** Records a run as `running`, before it is sent, so a crash cannot hide that it was. */
export async function insertRunningRun(db: Db, run: NewRun): Promise<void> {
  let schedule = trims.get(db);
  if (!schedule) trims.set(db, schedule = new TrimSchedule(KEEP_RUNS_PER_USER, trimRuns));
  const trim = schedule.stored(run.externalUserId);
  await db.batch([{
    sql: `INSERT INTO action_runs
      (id, external_user_id, component_key, started_at, duration_ms, outcome, error, configured_props)
      VALUES (?, ?, ?, ?, 0, 'running', NULL, ?)`,
    args: [
      run.id,
      run.externalUserId,
      run.componentKey,
      run.startedAt,
      JSON.stringify(truncateForStorage(run.configuredProps)),
    ],
  }, ...(trim ? [trim[1]] : [])], "write");
}

export async function completeRun(
  db: Db,
  id: string,
  outcome: Exclude<RunOutcome, "running">,
  durationMs: number,
  error?: string,
  result?: RunResult,
): Promise<void> {
  await db.execute({
    sql: "UPDATE action_runs SET outcome = ?, duration_ms = ?, error = ?, result = ? WHERE id = ?",
    args: [
      outcome,
      durationMs,
      error === undefined ? null : error.slice(0, MAX_ERROR_CHARS),
      resultText(result),
      id,
    ],
  });
}

const COLUMNS = "id, component_key, started_at, duration_ms, outcome, error, configured_props";

function toRecord(r: Record<string, unknown>, nowMs: number): RunRecord {
  const staleBefore = new Date(nowMs - RUN_OUTCOME_UNKNOWN_AFTER_MS).toISOString();
  const startedAt = String(r.started_at);
  let outcome = RunOutcome.safeParse(r.outcome).data ?? "error";
  let error = r.error == null ? undefined : String(r.error);
  if (outcome === "running" && startedAt < staleBefore) {
    outcome = "unknown";
    error = "The app stopped before it recorded this run's outcome: it may have run. " +
      "Check the connected app before running it again.";
  }
  return {
    id: String(r.id),
    componentKey: String(r.component_key),
    startedAt,
    durationMs: Number(r.duration_ms),
    outcome,
    ...(error === undefined ? {} : { error }),
    configuredProps: JSON.parse(String(r.configured_props)),
  };
}

export async function listRuns(
  db: Db,
  externalUserId: string,
  nowMs: number,
  limit = 50,
): Promise<RunRecord[]> {
  const rs = await db.execute({
    sql:
      `SELECT ${COLUMNS} FROM action_runs WHERE external_user_id = ? ORDER BY started_at DESC, id DESC LIMIT ?`,
    args: [externalUserId, limit],
  });
  return rs.rows.map((r) => toRecord(r as Record<string, unknown>, nowMs));
}

/** One of the user's runs with what it returned; undefined for another user's id or a dropped run. */
export async function findRun(
  db: Db,
  externalUserId: string,
  id: string,
  nowMs: number,
): Promise<RunDetail | undefined> {
  const rs = await db.execute({
    sql: `SELECT ${COLUMNS}, result FROM action_runs WHERE external_user_id = ? AND id = ?`,
    args: [externalUserId, id],
  });
  const r = rs.rows[0] as Record<string, unknown> | undefined;
  if (!r) return undefined;
  return { ...toRecord(r, nowMs), ...(r.result == null ? {} : { result: JSON.parse(String(r.result)) }) };
}
