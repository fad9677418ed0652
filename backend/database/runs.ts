import type { RunRecord } from "../../shared/api.ts";
import type { Db } from "./db.ts";

export type NewRun = RunRecord & { externalUserId: string };

/** History is for reading recent runs; older ones are dropped so it cannot grow without bound. */
export const KEEP_RUNS_PER_USER = 500;

export async function insertRun(db: Db, run: NewRun): Promise<void> {
  await db.batch([{
    sql: `INSERT INTO action_runs
      (id, external_user_id, component_key, started_at, duration_ms, outcome, error, configured_props)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    args: [
      run.id,
      run.externalUserId,
      run.componentKey,
      run.startedAt,
      run.durationMs,
      run.outcome,
      run.error ?? null,
      JSON.stringify(run.configuredProps),
    ],
  }, {
    sql: `DELETE FROM action_runs WHERE external_user_id = ?1 AND id IN (
      SELECT id FROM action_runs WHERE external_user_id = ?1 ORDER BY started_at DESC, id DESC LIMIT -1 OFFSET ?2)`,
    args: [run.externalUserId, KEEP_RUNS_PER_USER],
  }], "write");
}

export async function listRuns(db: Db, externalUserId: string, limit = 50): Promise<RunRecord[]> {
  const rs = await db.execute({
    sql: `SELECT id, component_key, started_at, duration_ms, outcome, error, configured_props
      FROM action_runs WHERE external_user_id = ? ORDER BY started_at DESC, id DESC LIMIT ?`,
    args: [externalUserId, limit],
  });
  return rs.rows.map((r) => ({
    id: String(r.id),
    componentKey: String(r.component_key),
    startedAt: String(r.started_at),
    durationMs: Number(r.duration_ms),
    outcome: r.outcome === "success" || r.outcome === "pending" ? r.outcome : "error",
    ...(r.error == null ? {} : { error: String(r.error) }),
    configuredProps: JSON.parse(String(r.configured_props)),
  }));
}
