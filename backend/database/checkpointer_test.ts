import { equal, ok } from "node:assert/strict";
import { eventually } from "../testing/eventually.ts";
import { openDatabase } from "./db.ts";
import { FALLBACK_CHECKPOINT_PAGES } from "./checkpointer.ts";

Deno.test("a file database's commits reach the database file without its own connection checkpointing", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/app.db`;
  const db = await openDatabase(`file:${path}`);
  try {
    equal(
      Number((await db.execute("PRAGMA wal_autocheckpoint")).rows[0].wal_autocheckpoint),
      FALLBACK_CHECKPOINT_PAGES,
    );
    await db.batch(["CREATE TABLE t (v TEXT)"], "write");
    const before = (await Deno.stat(path)).size;
    // About 100 pages: far below the connection's own threshold.
    for (let i = 0; i < 10; i++) {
      await db.batch([{
        sql:
          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40) INSERT INTO t SELECT ? FROM n",
        args: ["x".repeat(1000)],
      }], "write");
    }
    await eventually(async () => (await Deno.stat(path)).size > before + 300_000, {
      what: "the checkpointer copying the log into the database file",
    });
    ok((await db.execute("SELECT COUNT(*) AS n FROM t")).rows[0].n === 400);
  } finally {
    await db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
