import { deepStrictEqual, equal, rejects } from "node:assert/strict";
import { storageError } from "../http/storage_errors.ts";
import { holdWriteLock } from "../testing/write_lock.ts";
import { openDatabase } from "./db.ts";
import { DriverConnection } from "./driver_connection.ts";

Deno.test("a local database answers as the libSQL client: rows by name and index, counts, ids, bound values", async () => {
  const db = await openDatabase(":memory:");
  try {
    await db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, n INTEGER)");
    const insert = await db.execute({
      sql: "INSERT INTO t (name, n) VALUES (?, ?), (?, ?)",
      args: ["a", 1, "b", true],
    });
    equal(insert.rowsAffected, 2);
    equal(insert.lastInsertRowid, 2n);
    const rs = await db.execute("SELECT name, n FROM t WHERE n = :n ORDER BY id", { n: 1 });
    deepStrictEqual(rs.columns, ["name", "n"]);
    deepStrictEqual(rs.rows.map((r) => [r.name, r[0], r.n, r[1]]), [["a", "a", 1, 1], ["b", "b", 1, 1]]);
    deepStrictEqual(Object.keys(rs.rows[0]), ["name", "n"]);
    await rejects(db.execute({ sql: "SELECT ?", args: [undefined as unknown as null] }), TypeError);
  } finally {
    await db.close();
  }
});

Deno.test("a failing batch rolls back whole; errors carry SQLite's code, a lock or a missing file read as an outage", async () => {
  const dir = await Deno.makeTempDir();
  const db = await openDatabase(`file:${dir}/app.db`);
  try {
    await db.batch(["CREATE TABLE app_settings (key TEXT PRIMARY KEY, value TEXT)"]);
    await rejects(
      db.batch(
        ["INSERT INTO app_settings VALUES ('a', '1')", "INSERT INTO app_settings VALUES ('a', '2')"],
        "write",
      ),
      (err: Error & { code?: string }) => err.code === "SQLITE_CONSTRAINT" && /UNIQUE/.test(err.message),
    );
    equal((await db.execute("SELECT COUNT(*) AS n FROM app_settings")).rows[0].n, 0);

    await db.execute("PRAGMA busy_timeout = 50");
    const lock = holdWriteLock(`${dir}/app.db`);
    try {
      await rejects(
        db.execute("INSERT INTO app_settings VALUES ('b', '1')"),
        (err: Error & { code?: string }) => {
          equal(err.code, "SQLITE_BUSY");
          equal(storageError(err)?.status, 503);
          return true;
        },
      );
    } finally {
      lock.release();
    }
    await db.execute("INSERT INTO app_settings VALUES ('b', '1')");

    let cannotOpen: (Error & { code?: string }) | undefined;
    try {
      new DriverConnection(`${dir}/no such folder/app.db`);
    } catch (err) {
      cannotOpen = err as Error;
    }
    equal(cannotOpen?.code, "SQLITE_CANTOPEN");
    equal(storageError(cannotOpen)?.status, 503);
  } finally {
    await db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
