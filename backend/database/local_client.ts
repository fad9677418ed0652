/**
 * The app's own connection to a local database (a file, or `:memory:` in
 * tests): what the app uses of @libsql/client's Client (db.ts `Db`), over
 * SQLite inside Deno (driver_connection.ts), answering as the client does.
 * Every call runs to its end before it returns, so a batch's transaction
 * never interleaves with another call.
 */
import type { InArgs, InStatement, ResultSet, TransactionMode } from "@libsql/client";
import type { Db } from "./db.ts";
import { DriverConnection } from "./driver_connection.ts";
import { toResultSet } from "./result_set.ts";

const BEGIN: Record<TransactionMode, string> = {
  write: "BEGIN IMMEDIATE",
  read: "BEGIN DEFERRED",
  deferred: "BEGIN DEFERRED",
};

export class LocalClient implements Db {
  readonly #conn: DriverConnection;

  /** `path`: a file (a `file:` URL without the scheme) or `:memory:`. */
  constructor(path: string, autocheckpointPages: number) {
    this.#conn = new DriverConnection(path, autocheckpointPages);
  }

  execute(stmt: InStatement | string, args?: InArgs): Promise<ResultSet> {
    return this.#now(() =>
      toResultSet(this.#conn.run(typeof stmt === "string" && args !== undefined ? { sql: stmt, args } : stmt))
    );
  }

  batch(stmts: InStatement[], mode: TransactionMode = "deferred"): Promise<ResultSet[]> {
    return this.#now(() =>
      this.#conn.transaction(() => stmts.map((s) => toResultSet(this.#conn.run(s))), BEGIN[mode])
    );
  }

  executeMultiple(sql: string): Promise<void> {
    return this.#now(() => this.#conn.exec(sql));
  }

  close(): void {
    this.#conn.close();
  }

  /** The work done now, its result or error as a promise (as the client's). */
  #now<T>(work: () => T): Promise<T> {
    try {
      return Promise.resolve(work());
    } catch (err) {
      return Promise.reject(err);
    }
  }
}
