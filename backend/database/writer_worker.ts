/**
 * Runs in a Worker (writer.ts): a connection of its own to the database
 * file, committing the write batches the app hands it, one at a time, and
 * answering each with its results or its error, as plain data.
 *
 * It drives libSQL's driver directly rather than through @libsql/client,
 * which prepares every statement on every call and learns whether one
 * returns rows by catching an exception: here each statement is prepared
 * once and kept, so a batch costs little more than the rows it writes.
 */
import type { InStatement, InValue } from "@libsql/client";
// @ts-types="./libsql_driver.d.ts"
import Database, { type Statement } from "libsql";

export type WriteRequest = { id: number; statements: InStatement[] };
export type PlainResult = {
  columns: string[];
  rows: unknown[][];
  rowsAffected: number;
  lastInsertRowid: bigint | undefined;
};
export type PlainError = { name: string; message: string; code?: string; rawCode?: number };
export type WriteAnswer = { id: number; results: PlainResult[] } | { id: number; error: PlainError };

const worker = self as unknown as {
  onmessage: ((e: MessageEvent<{ open: string } | WriteRequest | "close">) => void) | null;
  postMessage(message: unknown): void;
};

const MAX_PREPARED = 200;
let path = "";
let db: Database | undefined;
const prepared = new Map<string, Statement>();

function open(): Database {
  const d = new Database(path);
  d.exec("PRAGMA busy_timeout = 5000");
  d.exec("PRAGMA synchronous = NORMAL");
  // The checkpointer's job (checkpointer.ts): a commit here never copies the log.
  d.exec("PRAGMA wal_autocheckpoint = 0");
  prepared.clear();
  return d;
}

function statement(sql: string): Statement {
  let s = prepared.get(sql);
  if (!s) {
    s = db!.prepare(sql);
    if (prepared.size >= MAX_PREPARED) prepared.clear();
    prepared.set(sql, s);
  }
  return s;
}

/** Values as @libsql/client binds them. */
function bindable(v: InValue): unknown {
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v instanceof Date) return v.valueOf();
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (v === undefined) throw new TypeError("undefined cannot be passed as argument to the database");
  return v;
}

function run(stmt: InStatement): PlainResult {
  const { sql, args } = typeof stmt === "string" ? { sql: stmt, args: [] } : stmt;
  const s = statement(sql);
  const params = Array.isArray(args)
    ? args.map(bindable)
    : Object.fromEntries(Object.entries(args ?? {}).map(([k, v]) => [k.replace(/^[$:@]/, ""), bindable(v)]));
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
  return { columns: [], rows: [], rowsAffected: info.changes, lastInsertRowid: BigInt(info.lastInsertRowid) };
}

function batch(statements: InStatement[]): PlainResult[] {
  db ??= open();
  run("BEGIN IMMEDIATE");
  try {
    const results = statements.map(run);
    run("COMMIT");
    return results;
  } finally {
    if (db.inTransaction) db.exec("ROLLBACK");
  }
}

worker.onmessage = ({ data }) => {
  if (data === "close") {
    db?.close();
    db = undefined;
    worker.postMessage("closed");
    return;
  }
  if ("open" in data) {
    path = data.open.slice("file:".length);
    try {
      db = open();
      worker.postMessage("ready");
    } catch (err) {
      worker.postMessage({ failed: String((err as Error)?.message ?? err) });
    }
    return;
  }
  const { id, statements } = data;
  try {
    worker.postMessage({ id, results: batch(statements) });
  } catch (err) {
    const e = err as Error & { code?: string; rawCode?: number };
    // A statement that failed may be left open on the connection, and every later commit fail with
    // "SQL statements in progress" (db.ts says more): errors are rare, so start afresh after each.
    db?.close();
    db = undefined;
    const message = e?.code ? `${e.code}: ${e.message}` : String(e?.message ?? e);
    worker.postMessage({ id, error: { name: e?.name, message, code: e?.code, rawCode: e?.rawCode } });
  }
};
