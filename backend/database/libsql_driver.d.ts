/**
 * The part of libSQL's driver (npm:libsql, the engine under @libsql/client's
 * local client) that driver_connection.ts uses. Declared here because the
 * package's own types pull in Node's, which would change the types of the
 * whole project's `node:` imports.
 */
export interface Statement {
  readonly reader: boolean;
  raw(toggle?: boolean): this;
  columns(): Array<{ name: string }>;
  all(params: unknown): unknown[][];
  run(params: unknown): { changes: number; lastInsertRowid: number | bigint };
}

export default class Database {
  constructor(path: string);
  readonly inTransaction: boolean;
  exec(sql: string): this;
  prepare(sql: string): Statement;
  close(): void;
}
