import { deepStrictEqual, equal } from "node:assert/strict";
import { MIGRATIONS } from "../runtime.ts";
import { countingDb } from "../testing/counting_db.ts";
import { openDatabase } from "./db.ts";
import { dumpSchema, migrate } from "./migrate.ts";
import { SCHEMA_SNAPSHOT } from "./schema_snapshot.ts";
import { getOrCreateSetting } from "./settings.ts";

Deno.test("on a database already up to date, migrating is one read, and nothing is written", async () => {
  const db = await openDatabase(":memory:");
  await migrate(db, MIGRATIONS);
  const applied = await db.execute("SELECT id FROM schema_migrations ORDER BY id");
  deepStrictEqual(applied.rows.map((r) => String(r.id)).sort(), MIGRATIONS.map((m) => m.id).sort());

  const counted = countingDb(db);
  await migrate(counted.db, MIGRATIONS);
  equal(counted.executes(), 1);
  deepStrictEqual(counted.batches, []);
  db.close();
});

Deno.test("a setting made once is read, not written, at every later start", async () => {
  const db = await openDatabase(":memory:");
  await migrate(db, MIGRATIONS);
  const first = await getOrCreateSetting(db, "k", () => "v1");
  const counted = countingDb(db);
  equal(await getOrCreateSetting(counted.db, "k", () => "v2"), first);
  equal(counted.executes(), 1);
  db.close();
});

Deno.test("a new database made from the schema snapshot is the one the steps make (else: deno task schema)", async () => {
  const stepByStep = await openDatabase(":memory:");
  await migrate(stepByStep, MIGRATIONS);
  const fromSnapshot = await openDatabase(":memory:");
  const counted = countingDb(fromSnapshot);
  await migrate(counted.db, MIGRATIONS, SCHEMA_SNAPSHOT);
  const current = "backend/database/schema_snapshot.ts is current: run `deno task schema`";
  deepStrictEqual(SCHEMA_SNAPSHOT.steps, MIGRATIONS.map((m) => m.id), current);
  deepStrictEqual(await dumpSchema(fromSnapshot), await dumpSchema(stepByStep), current);
  deepStrictEqual([counted.batches.length, counted.scripts.length], [0, 1], "made in one script");
  const ids = async (db: typeof stepByStep) =>
    (await db.execute("SELECT id FROM schema_migrations ORDER BY id")).rows.map((r) => String(r.id));
  deepStrictEqual(await ids(fromSnapshot), await ids(stepByStep));

  // Tables no step recorded (made by hand, or by another instance just now): the steps run instead.
  const busy = await openDatabase(":memory:");
  await busy.execute("CREATE TABLE app_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  await migrate(busy, MIGRATIONS, SCHEMA_SNAPSHOT);
  deepStrictEqual(await ids(busy), await ids(stepByStep));
  for (const db of [stepByStep, fromSnapshot, busy]) db.close();
});
