/** A database that counts what is asked of it: statements read one by one, and each batch's size. */
import type { Db } from "../database/db.ts";

export function countingDb(db: Db): { db: Db; executes: () => number; batches: number[] } {
  let executes = 0;
  const batches: number[] = [];
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
      close: () => db.close(),
    },
    executes: () => executes,
    batches,
  };
}
