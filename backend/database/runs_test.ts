import { equal } from "node:assert/strict";
import { openDatabase } from "./db.ts";
import { migrate } from "./migrate.ts";
import { appMigrations } from "./migrations.ts";
import { insertRun, KEEP_RUNS_PER_USER, listRuns } from "./runs.ts";

Deno.test("run history keeps the newest runs per user and lists them newest first", async () => {
  const db = await openDatabase(":memory:");
  await migrate(db, appMigrations);
  for (let i = 0; i < KEEP_RUNS_PER_USER + 5; i++) {
    await insertRun(db, {
      id: `run_${String(i).padStart(4, "0")}`,
      externalUserId: "u1",
      componentKey: "slack-send-message",
      startedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
      durationMs: 1,
      outcome: "success",
      configuredProps: {},
    });
  }
  await insertRun(db, {
    id: "run_other",
    externalUserId: "u2",
    componentKey: "x-y",
    startedAt: new Date().toISOString(),
    durationMs: 1,
    outcome: "error",
    error: "boom",
    configuredProps: {},
  });
  const count = async (u: string) =>
    Number(
      (await db.execute({
        sql: "SELECT COUNT(*) AS n FROM action_runs WHERE external_user_id = ?",
        args: [u],
      })).rows[0].n,
    );
  equal(await count("u1"), KEEP_RUNS_PER_USER);
  equal(await count("u2"), 1);
  const newest = await listRuns(db, "u1", 1);
  equal(newest[0].id, `run_${String(KEEP_RUNS_PER_USER + 4).padStart(4, "0")}`);
  db.close();
});
