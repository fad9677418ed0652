import { deepStrictEqual, equal } from "node:assert/strict";
import type { SdkCall } from "../../shared/api.ts";
import { countingDb } from "../testing/counting_db.ts";
import { openDatabase } from "./db.ts";
import { migrate } from "./migrate.ts";
import { appMigrations } from "./migrations.ts";
import { clearSdkCalls, insertSdkCall, listSdkCalls } from "./sdk_calls.ts";

async function freshDb() {
  const db = await openDatabase(":memory:");
  await migrate(db, appMigrations);
  return db;
}

const call = (n: number): Omit<SdkCall, "id"> => ({
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  method: "GET",
  path: `/v1/connect/proj_x/accounts?n=${n}`,
  status: 200,
  durationMs: 1,
});

Deno.test("the log's readers see a call still being recorded; a clear waits for it too", async () => {
  const db = await freshDb();
  let respond!: (c: Omit<SdkCall, "id">) => void;
  const recording = insertSdkCall(db, "u1", new Promise((r) => respond = r));
  const listed = listSdkCalls(db, "u1");
  setTimeout(() => respond(call(1)), 20);
  deepStrictEqual((await listed).map((c) => c.path), [call(1).path]);
  await recording;

  insertSdkCall(db, "u1", new Promise((r) => setTimeout(() => r(call(2)), 20)));
  await clearSdkCalls(db, "u1");
  deepStrictEqual(await listSdkCalls(db, "u1"), []);
  db.close();
});

Deno.test("calls recorded together share one statement, and each user's log keeps its newest 200", async () => {
  const db = await freshDb();
  const { db: counting, batches } = countingDb(db);
  await Promise.all(Array.from({ length: 15 }, (_, i) => insertSdkCall(counting, "u1", call(i))));
  deepStrictEqual(batches, [1]);

  for (let i = 15; i < 240; i++) await insertSdkCall(counting, "u1", call(i));
  await insertSdkCall(counting, "u2", call(0));
  const count = async (user: string) =>
    Number(
      (await db.execute({
        sql: "SELECT COUNT(*) AS n FROM sdk_calls WHERE external_user_id = ?",
        args: [user],
      }))
        .rows[0].n,
    );
  // Trimmed with every 20th call: the 240th trims back to 200.
  equal(await count("u1"), 200);
  equal(await count("u2"), 1);
  const newest = await listSdkCalls(counting, "u1", 1);
  equal(newest[0].path, call(239).path);
  db.close();
});
