/**
 * A connection to a database file (or `:memory:`) through the SQLite that
 * ships inside Deno (`node:sqlite`): synchronous, with each statement
 * prepared once and kept, so a transaction costs little more than the rows it
 * writes. The app's own connection (local_client.ts) and the Workers that
 * write in bulk (writer_worker.ts, webhooks/journal_worker.ts, the
 * checkpointer) all use it. It loads in about a millisecond, where libSQL's
 * npm driver took ~30 ms of every cold start (Deno's CommonJS layer and a
 * native addon); libSQL's client stays for remote databases (db.ts).
 */
import type { InStatement, InValue } from "@libsql/client";
import { DatabaseSync, type StatementSync } from "node:sqlite";

/** A statement's result as plain data (what a Worker can post). */
export type PlainResult = {
  columns: string[];
  rows: unknown[][];
  rowsAffected: number;
  lastInsertRowid: bigint | undefined;
};

const MAX_PREPARED = 200;

/** Deno has `setReturnArrays` (rows as arrays, no object per row); its bundled types do not yet. */
type ArrayStatement = StatementSync & { setReturnArrays(enabled: boolean): void };

type Prepared = { statement: StatementSync; columns: string[] };

export class DriverConnection {
  readonly #db: DatabaseSync;
  readonly #prepared = new Map<string, Prepared>();

  /**
   * `path`: the file, as in a `file:` URL without the scheme, or `:memory:`.
   * `autocheckpointPages`: 0 where the checkpointer does it (checkpointer.ts).
   */
  constructor(path: string, autocheckpointPages = 0) {
    try {
      this.#db = new DatabaseSync(path);
    } catch (err) {
      throw withSqliteCode(err);
    }
    this.exec("PRAGMA busy_timeout = 5000");
    this.exec("PRAGMA synchronous = NORMAL");
    this.exec(`PRAGMA wal_autocheckpoint = ${autocheckpointPages}`);
  }

  run(stmt: InStatement): PlainResult {
    const { sql, args } = typeof stmt === "string" ? { sql: stmt, args: [] } : stmt;
    const { statement, columns } = this.#statement(sql);
    try {
      if (Array.isArray(args)) return this.#result(statement, columns, args.map(bindable));
      const named = Object.fromEntries(
        Object.entries(args ?? {}).map(([k, v]) => [k.replace(/^[$:@]/, ""), bindable(v)]),
      );
      return this.#result(statement, columns, [named]);
    } catch (err) {
      throw withSqliteCode(err);
    }
  }

  /** Statements without arguments, run one after another (a schema script). */
  exec(sql: string): void {
    try {
      this.#db.exec(sql);
    } catch (err) {
      throw withSqliteCode(err);
    }
  }

  /** `work` inside one write transaction: committed if it returns, rolled back if it throws. */
  transaction<T>(work: () => T, begin = "BEGIN IMMEDIATE"): T {
    this.exec(begin);
    try {
      const result = work();
      this.exec("COMMIT");
      return result;
    } finally {
      if (this.#db.isTransaction) this.#db.exec("ROLLBACK");
    }
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }

  // deno-lint-ignore no-explicit-any
  #result(statement: StatementSync, columns: string[], params: any[]): PlainResult {
    if (columns.length > 0) {
      return {
        columns,
        rows: statement.all(...params) as unknown as unknown[][],
        rowsAffected: 0,
        lastInsertRowid: undefined,
      };
    }
    const info = statement.run(...params);
    return {
      columns,
      rows: [],
      rowsAffected: Number(info.changes),
      lastInsertRowid: BigInt(info.lastInsertRowid),
    };
  }

  #statement(sql: string): Prepared {
    let p = this.#prepared.get(sql);
    if (!p) {
      let statement: StatementSync;
      try {
        statement = this.#db.prepare(sql);
      } catch (err) {
        throw withSqliteCode(err);
      }
      (statement as ArrayStatement).setReturnArrays(true);
      p = { statement, columns: statement.columns().map((c) => c.name) };
      if (this.#prepared.size >= MAX_PREPARED) this.#prepared.clear();
      this.#prepared.set(sql, p);
    }
    return p;
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

/**
 * SQLite's primary result codes, from the fixed text SQLite gives each
 * (sqlite3_errstr): Deno's node:sqlite reports only `ERR_SQLITE_ERROR`, and
 * the app tells an outage (http/storage_errors.ts) from a bug by the code.
 */
const CODES: Array<[RegExp, string]> = [
  [/database is locked/i, "SQLITE_BUSY"],
  [/database table is locked/i, "SQLITE_LOCKED"],
  [/attempt to write a readonly database/i, "SQLITE_READONLY"],
  [/unable to open database file/i, "SQLITE_CANTOPEN"],
  [/disk I\/O error/i, "SQLITE_IOERR"],
  [/database or disk is full/i, "SQLITE_FULL"],
  [/locking protocol/i, "SQLITE_PROTOCOL"],
  [/constraint failed/i, "SQLITE_CONSTRAINT"],
];

/** The error, its `code` the SQLite code its message names (SQLITE_ERROR when none). */
function withSqliteCode(err: unknown): unknown {
  if (!(err instanceof Error) || (err as { code?: unknown }).code !== "ERR_SQLITE_ERROR") return err;
  const code = CODES.find(([re]) => re.test(err.message))?.[1] ?? "SQLITE_ERROR";
  Object.defineProperty(err, "code", { value: code, enumerable: true, configurable: true, writable: true });
  return err;
}
