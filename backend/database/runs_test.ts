import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { openDatabase } from "./db.ts";
import { migrate } from "./migrate.ts";
import { appMigrations } from "./migrations.ts";
import {
  completeRun,
  insertRunningRun,
  KEEP_RUNS_PER_USER,
  listRuns,
  RUN_OUTCOME_UNKNOWN_AFTER_MS,
} from "./runs.ts";

const T0 = Date.UTC(2026, 0, 1);

Deno.test("run history keeps the newest runs per user and lists them newest first", async () => {
  const db = await openDatabase(":memory:");
  await migrate(db, appMigrations);
  // Trimmed with every tenth-of-the-limit-th run: the last of these trims back to the limit.
  for (let i = 0; i < KEEP_RUNS_PER_USER * 1.1; i++) {
    const id = `run_${String(i).padStart(4, "0")}`;
    await insertRunningRun(db, {
      id,
      externalUserId: "u1",
      componentKey: "slack-send-message",
      startedAt: new Date(T0 + i * 1000).toISOString(),
      configuredProps: {},
    });
    await completeRun(db, id, "success", 1);
  }
  await insertRunningRun(db, {
    id: "run_other",
    externalUserId: "u2",
    componentKey: "x-y",
    startedAt: new Date(T0).toISOString(),
    configuredProps: {},
  });
  await completeRun(db, "run_other", "error", 1, "boom");
  const count = async (u: string) =>
    Number(
      (await db.execute({
        sql: "SELECT COUNT(*) AS n FROM action_runs WHERE external_user_id = ?",
        args: [u],
      })).rows[0].n,
    );
  equal(await count("u1"), KEEP_RUNS_PER_USER);
  equal(await count("u2"), 1);
  const newest = await listRuns(db, "u1", T0 + 10_000_000, 1);
  equal(newest[0].id, `run_${String(KEEP_RUNS_PER_USER * 1.1 - 1).padStart(4, "0")}`);
  equal((await listRuns(db, "u2", T0))[0].error, "boom");
  db.close();
});

Deno.test("a run recorded as running and never completed shows as outcome unknown once stale", async () => {
  const db = await openDatabase(":memory:");
  await migrate(db, appMigrations);
  await insertRunningRun(db, {
    id: "run_crashed",
    externalUserId: "u1",
    componentKey: "slack-send-message",
    startedAt: new Date(T0).toISOString(),
    configuredProps: { text: "hello" },
  });
  equal((await listRuns(db, "u1", T0 + 1000))[0].outcome, "running", "still in flight");
  const [stale] = await listRuns(db, "u1", T0 + RUN_OUTCOME_UNKNOWN_AFTER_MS + 1);
  equal(stale.outcome, "unknown");
  ok(stale.error?.includes("may have run"));
  db.close();
});

Deno.test("stored props are a few KB however large the run's props were", async () => {
  const db = await openDatabase(":memory:");
  await migrate(db, appMigrations);
  await insertRunningRun(db, {
    id: "run_big",
    externalUserId: "u1",
    componentKey: "slack-send-message",
    startedAt: new Date(T0).toISOString(),
    configuredProps: {
      text: "x".repeat(200_000),
      list: Array.from({ length: 5000 }, (_, i) => i),
      channel: "C1",
    },
  });
  const row = await db.execute("SELECT length(configured_props) AS n FROM action_runs");
  ok(Number(row.rows[0].n) <= 4096, `stored ${row.rows[0].n} bytes`);
  const [run] = await listRuns(db, "u1", T0);
  equal(run.configuredProps.channel, "C1", "short values are kept as they were");
  deepStrictEqual(Object.keys(run.configuredProps).sort(), ["channel", "list", "text"]);
  db.close();
});
