import { RunOutcome, type RunRecord } from "../../shared/api.ts";
import { truncateForStorage } from "../lib/truncate.ts";
import type { Db } from "./db.ts";

export type NewRun = Omit<RunRecord, "outcome" | "durationMs"> & { externalUserId: string };

/** History is for reading recent runs; older ones are dropped so it cannot grow without bound. */
export const KEEP_RUNS_PER_USER = 500;

/**
 * A run still `running` after this long was sent, but whoever sent it never
 * recorded the answer (the process stopped): its outcome is unknown. It is
 * well past the SDK's timeout, so no instance can still be waiting for it.
 */
export const RUN_OUTCOME_UNKNOWN_AFTER_MS = 2 * 60_000;

const MAX_ERROR_CHARS = 500;

/** Records a run as `running`, before it is sent, so a crash cannot hide that it was. */
export async function insertRunningRun(db: Db, run: NewRun): Promise<void> {
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
  }, {
    sql: `DELETE FROM action_runs WHERE external_user_id = ?1 AND id IN (
      SELECT id FROM action_runs WHERE external_user_id = ?1 ORDER BY started_at DESC, id DESC LIMIT -1 OFFSET ?2)`,
    args: [run.externalUserId, KEEP_RUNS_PER_USER],
  }], "write");
}

export async function completeRun(
  db: Db,
  id: string,
  outcome: Exclude<RunOutcome, "running">,
  durationMs: number,
  error?: string,
): Promise<void> {
  await db.execute({
    sql: "UPDATE action_runs SET outcome = ?, duration_ms = ?, error = ? WHERE id = ?",
    args: [outcome, durationMs, error === undefined ? null : error.slice(0, MAX_ERROR_CHARS), id],
  });
}

export async function listRuns(
  db: Db,
  externalUserId: string,
  nowMs: number,
  limit = 50,
): Promise<RunRecord[]> {
  const rs = await db.execute({
    sql: `SELECT id, component_key, started_at, duration_ms, outcome, error, configured_props
      FROM action_runs WHERE external_user_id = ? ORDER BY started_at DESC, id DESC LIMIT ?`,
    args: [externalUserId, limit],
  });
  const staleBefore = new Date(nowMs - RUN_OUTCOME_UNKNOWN_AFTER_MS).toISOString();
  return rs.rows.map((r) => {
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
  });
}
