import { deepStrictEqual, equal } from "node:assert/strict";
import { MIGRATIONS } from "../runtime.ts";
import { countingDb } from "../testing/counting_db.ts";
import { openDatabase } from "./db.ts";
import { migrate } from "./migrate.ts";
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
