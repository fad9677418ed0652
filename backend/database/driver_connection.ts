/**
 * A connection to a database file through libSQL's driver directly (the
 * engine under @libsql/client's local client), for code that runs in a
 * Worker and writes in bulk (writer_worker.ts, webhooks/journal_worker.ts).
 *
 * @libsql/client prepares every statement on every call and learns whether
 * one returns rows by catching an exception: here each statement is prepared
 * once and kept, so a transaction costs little more than the rows it writes.
 */
import type { InStatement, InValue } from "@libsql/client";
// @ts-types="./libsql_driver.d.ts"
import Database, { type Statement } from "libsql";

/** A statement's result as plain data (what a Worker can post). */
export type PlainResult = {
  columns: string[];
  rows: unknown[][];
  rowsAffected: number;
  lastInsertRowid: bigint | undefined;
};

const MAX_PREPARED = 200;

export class DriverConnection {
  readonly #db: Database;
  readonly #prepared = new Map<string, Statement>();

  /** `path`: the file, as in a `file:` URL without the scheme. */
  constructor(path: string) {
    this.#db = new Database(path);
    this.#db.exec("PRAGMA busy_timeout = 5000");
    this.#db.exec("PRAGMA synchronous = NORMAL");
    // The checkpointer's job (checkpointer.ts): a commit here never copies the log.
    this.#db.exec("PRAGMA wal_autocheckpoint = 0");
  }

  run(stmt: InStatement): PlainResult {
    const { sql, args } = typeof stmt === "string" ? { sql: stmt, args: [] } : stmt;
    const s = this.#statement(sql);
    const params = Array.isArray(args) ? args.map(bindable) : Object.fromEntries(
      Object.entries(args ?? {}).map(([k, v]) => [k.replace(/^[$:@]/, ""), bindable(v)]),
    );
    if (s.reader) {
      s.raw(true);
      return {
        columns: s.columns().map((c: { name: string }) => c.name),
        rows: s.all(params),
        rowsAffected: 0,
        lastInsertRowid: undefined,
      };
    }
    const info = s.run(params);
    return {
      columns: [],
      rows: [],
      rowsAffected: info.changes,
      lastInsertRowid: BigInt(info.lastInsertRowid),
    };
  }

  /** `work` inside one write transaction: committed if it returns, rolled back if it throws. */
  transaction<T>(work: () => T): T {
    this.run("BEGIN IMMEDIATE");
    try {
      const result = work();
      this.run("COMMIT");
      return result;
    } finally {
      if (this.#db.inTransaction) this.#db.exec("ROLLBACK");
    }
  }

  close(): void {
    this.#db.close();
  }

  #statement(sql: string): Statement {
    let s = this.#prepared.get(sql);
    if (!s) {
      s = this.#db.prepare(sql);
      if (this.#prepared.size >= MAX_PREPARED) this.#prepared.clear();
      this.#prepared.set(sql, s);
    }
    return s;
  }
}

/** Values as @libsql/client binds them. */
function bindable(v: InValue): unknown {
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v instanceof Date) return v.valueOf();
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (v === undefined) throw new TypeError("undefined cannot be passed as argument to the database");
  return v;
}
