/**
 * Migrations are owned by the module whose tables they create (the app, the
 * sandbox, the webhook store), each a list of named steps. A step runs once,
 * recorded in `schema_migrations`; steps are append-only.
 *
 * Several instances may start at once on one database: each step's batch
 * begins by recording the step, in the same write transaction as the step
 * itself, so the instance that loses the race fails on that first insert,
 * rolls back, and moves on (the winner's step is committed by then).
 */
import type { Db } from "./db.ts";

export type Migration = { id: string; sql: string[] };

const alreadyApplied = (err: unknown) =>
  /UNIQUE constraint failed: schema_migrations\.id/i.test(String((err as Error)?.message));

export async function migrate(db: Db, migrations: readonly Migration[]): Promise<void> {
  await db.execute(
    "CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)",
  );
  const done = new Set(
    (await db.execute("SELECT id FROM schema_migrations")).rows.map((r) => String(r.id)),
  );
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
