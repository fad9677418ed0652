/**
 * Migrations are owned by the module whose tables they create (the app, the
 * sandbox, the webhook store), each a list of named steps. A step runs once,
 * recorded in `schema_migrations`; steps are append-only.
 *
 * Several instances may start at once on one database: each step's batch
 * begins by recording the step, in the same write transaction as the step
 * itself, so the instance that loses the race fails on that first insert,
 * rolls back, and moves on (the winner's step is committed by then).
 *
 * On a database already up to date (every start but the first) this costs
 * one read; a new one is made from a snapshot of the schema all the steps
 * make (schema_snapshot.ts), when it is current.
 */
import type { Db } from "./db.ts";

export type Migration = { id: string; sql: string[] };

const alreadyApplied = (err: unknown) =>
  /UNIQUE constraint failed: schema_migrations\.id/i.test(String((err as Error)?.message));

async function appliedSteps(db: Db): Promise<Set<string>> {
  try {
    return new Set((await db.execute("SELECT id FROM schema_migrations")).rows.map((r) => String(r.id)));
  } catch (err) {
    if (!/no such table: schema_migrations/i.test(String((err as Error)?.message))) throw err;
    await db.execute(
      "CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)",
    );
    return new Set();
  }
}

/** The schema a list of steps makes, made at once (a new database): see schema_snapshot.ts. */
export type SchemaSnapshot = { steps: readonly string[]; sql: readonly string[] };

export async function migrate(
  db: Db,
  migrations: readonly Migration[],
  snapshot?: SchemaSnapshot,
): Promise<void> {
  const done = await appliedSteps(db);
  const pending = migrations.filter((m) => !done.has(m.id));
  if (pending.length === 0) return;
  const at = new Date().toISOString();
  const isFor = (s: SchemaSnapshot) => s.steps.join("\n") === migrations.map((m) => m.id).join("\n");
  if (done.size === 0 && snapshot && isFor(snapshot)) {
    // A new database: the schema every step makes, in one short transaction, instead of each step's
    // history (tables made, then altered, renamed, dropped). Should another instance have made it
    // meanwhile, or tables exist that no step recorded, it fails whole, and the steps run as below.
    // One script, not a batch: each statement of a batch is a call of its own, half the time here.
    const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
    const recorded = migrations.map((m) => `(${quote(m.id)}, ${quote(at)})`).join(", ");
    try {
      await db.executeMultiple(
        `BEGIN IMMEDIATE;\n${snapshot.sql.join(";\n")};\n` +
          `INSERT INTO schema_migrations (id, applied_at) VALUES ${recorded};\nCOMMIT;`,
      );
      return;
    } catch {
      await db.execute("ROLLBACK").catch(() => {}); // what the script began, if it got that far
    }
  }
  for (const m of pending) {
    try {
      await db.batch([
        { sql: "INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)", args: [m.id, at] },
        ...m.sql,
      ], "write");
    } catch (err) {
      if (!alreadyApplied(err)) throw err;
    }
  }
}

/**
 * The schema as SQLite keeps it (each object's CREATE statement, as altered
 * since), tables first, then indexes and triggers: what schema_snapshot.ts
 * holds, and what its test compares.
 */
export async function dumpSchema(db: Db): Promise<string[]> {
  const rows = await db.execute(
    `SELECT sql FROM sqlite_master
      WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND name != 'schema_migrations'
      ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, rowid`,
  );
  return rows.rows.map((r) => String(r.sql));
}
