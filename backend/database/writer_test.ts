import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { eventually } from "../testing/eventually.ts";
import { openDatabase } from "./db.ts";
import { startWriter } from "./writer.ts";

Deno.test("writes committed off-thread answer as the client would: rows by name and index, counts, ids, errors", async () => {
  const dir = await Deno.makeTempDir();
  const url = `file:${dir}/app.db`;
  const db = await openDatabase(url);
  await db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, n INTEGER)");
  const writer = startWriter(url);
  try {
    // A Worker loading the driver: slow on a busy machine.
    await eventually(() => writer.ready, { what: "the writer to start", timeoutMs: 30_000 });
    const [insert, select] = await writer.write([
      { sql: "INSERT INTO t (name, n) VALUES (?, ?), (?, ?)", args: ["a", 1, "b", true] },
      { sql: "SELECT name, n FROM t WHERE n = ?1 ORDER BY id", args: [1] },
    ]);
    equal(insert.rowsAffected, 2);
    equal(insert.lastInsertRowid, 2n);
    deepStrictEqual(select.columns, ["name", "n"]);
    equal(select.rows.length, 2);
    equal(select.rows[0].name, "a");
    equal(select.rows[0][1], 1);
    equal(select.rows[1].n, 1, "a boolean is stored as 1, as the client binds it");
    deepStrictEqual(Object.keys(select.rows[0]), ["name", "n"]);
    // What the app's own connection reads is what the writer committed.
    equal((await db.execute("SELECT COUNT(*) AS c FROM t")).rows[0].c, 2);

    // A failing statement rolls its whole batch back, and its error carries the code the app maps.
    await rejects(
      writer.write([{ sql: "INSERT INTO t (name) VALUES ('c')", args: [] }, {
        sql: "INSERT INTO t (name) VALUES ('a')",
        args: [],
      }]),
      (err: Error) =>
        (err as Error & { code?: string }).code === "SQLITE_CONSTRAINT" && /UNIQUE/.test(err.message),
    );
    equal((await db.execute("SELECT COUNT(*) AS c FROM t")).rows[0].c, 2);
    ok((await writer.write(["INSERT INTO t (name) VALUES ('d')"]))[0].rowsAffected === 1, "and it goes on");
  } finally {
    await writer.close();
    await db.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a file database commits its write batches off-thread once its writer is up", async () => {
  const dir = await Deno.makeTempDir();
  const db = await openDatabase(`file:${dir}/app.db`);
  try {
    await db.batch(["CREATE TABLE t (v)"], "write");
    // While the writer starts, writes run on the app's connection; then on the writer's. Both land.
    await eventually(async () => {
      await db.batch([{ sql: "INSERT INTO t VALUES (?)", args: [1] }], "write");
      return Number((await db.execute("SELECT COUNT(*) AS c FROM t")).rows[0].c) >= 20;
    }, { what: "writes", intervalMs: 5, timeoutMs: 30_000 });
  } finally {
    await db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
