/**
 * Group commit: work that arrives together shares one database commit, and
 * each caller's promise resolves only after the commit that holds its work.
 * One commit per request caps a durable webhook route at a few thousand
 * events a second; sharing commits lifts that cap without ever
 * acknowledging an event before it is on disk.
 *
 * A statement costs the database client far more than the row it writes, so
 * rows for the same table can be merged too: callers hand rows to a
 * `RowSink`, and each commit runs one statement per sink for all of them.
 * A commit runs, in order: every caller's own statements, one statement per
 * sink (rows in arrival order), then the keyed housekeeping (`once`).
 */
import type { InStatement, InValue } from "@libsql/client";
import { setImmediate } from "node:timers";
import type { Db } from "../database/db.ts";

/** Rows that one statement can store together (e.g. one multi-row INSERT). */
export type RowSink<Row> = { key: string; statement(rows: Row[]): InStatement };

/**
 * `INSERT INTO <table> (<columns>) VALUES (?, …), (?, …) <tail>`: many rows
 * in one statement (its text differs by row count only, so a client that
 * keeps prepared statements prepares each size once).
 */
export function insertRows(table: string, columns: string[], rows: InValue[][], tail = ""): InStatement {
  const row = `(${columns.map(() => "?").join(", ")})`;
  return {
    sql: `INSERT INTO ${table} (${columns.join(", ")}) VALUES ${rows.map(() => row).join(", ")} ${tail}`
      .trim(),
    args: rows.flat(),
  };
}

/** Housekeeping run once per commit however many callers ask for it, by key. */
export type Once = [string, InStatement];

type Pending = {
  statements: InStatement[];
  row?: { sink: RowSink<unknown>; value: unknown };
  once?: Once;
  resolve: () => void;
  reject: (err: unknown) => void;
};

const MAX_BATCH = 500;

export class GroupCommitter {
  #queue: Pending[] = [];
  #flushing = false;

  constructor(private db: Db) {}

  commit(statements: InStatement[], once?: Once): Promise<void> {
    return this.#enqueue({ statements, once });
  }

  /** One row for `sink`'s shared statement, and housekeeping if any. */
  commitRow<Row>(sink: RowSink<Row>, row: Row, once?: Once): Promise<void> {
    return this.#enqueue({ statements: [], row: { sink, value: row }, once });
  }

  #enqueue(work: Omit<Pending, "resolve" | "reject">): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ ...work, resolve, reject });
      if (!this.#flushing) this.#flush();
    });
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    // Let the requests already on the event loop join this commit. (Not
    // setTimeout: its millisecond granularity would leave the server idle.)
    await new Promise((r) => setImmediate(r));
    while (this.#queue.length) {
      const group = this.#queue.splice(0, MAX_BATCH);
      try {
        await this.db.batch(statementsOf(group), "write");
        for (const p of group) p.resolve();
      } catch (err) {
        // One bad statement must not fail its neighbours: retry each alone.
        if (group.length === 1) group[0].reject(err);
        else {
          for (const p of group) {
            await this.db.batch(statementsOf([p]), "write").then(p.resolve, p.reject);
          }
        }
      }
    }
    this.#flushing = false;
  }
}

function statementsOf(group: Pending[]): InStatement[] {
  const sinks = new Map<string, { sink: RowSink<unknown>; rows: unknown[] }>();
  for (const { row } of group) {
    if (!row) continue;
    const s = sinks.get(row.sink.key) ?? { sink: row.sink, rows: [] };
    s.rows.push(row.value);
    sinks.set(row.sink.key, s);
  }
  const once = new Map(group.flatMap((p) => (p.once ? [p.once] : [])));
  return [
    ...group.flatMap((p) => p.statements),
    ...[...sinks.values()].map((s) => s.sink.statement(s.rows)),
    ...once.values(),
  ];
}
