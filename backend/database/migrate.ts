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
 * one read.
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

export async function migrate(db: Db, migrations: readonly Migration[]): Promise<void> {
  const done = await appliedSteps(db);
  for (const m of migrations) {
    if (done.has(m.id)) continue;
    try {
      await db.batch([
        {
          sql: "INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)",
          args: [m.id, new Date().toISOString()],
        },
        ...m.sql,
      ], "write");
    } catch (err) {
      if (!alreadyApplied(err)) throw err;
    }
  }
}
