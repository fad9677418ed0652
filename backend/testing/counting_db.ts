/** A database that counts what is asked of it: statements read one by one, and each batch's size. */
import type { Db } from "../database/db.ts";

export function countingDb(db: Db): { db: Db; executes: () => number; batches: number[]; scripts: string[] } {
  let executes = 0;
  const batches: number[] = [];
  const scripts: string[] = [];
  return {
    db: {
      execute: (stmt, args) => {
        executes++;
        return db.execute(stmt, args);
      },
      batch: (stmts, mode) => {
        batches.push(stmts.length);
        return db.batch(stmts, mode);
      },
      executeMultiple: (sql) => {
        scripts.push(sql);
        return db.executeMultiple(sql);
      },
      close: () => db.close(),
    },
    executes: () => executes,
    batches,
    scripts,
  };
}
