/**
 * Migrations are owned by the module whose tables they create (the app, the
 * sandbox, the webhook store), each a list of named steps. A step runs once,
 * recorded in `schema_migrations`; steps are append-only.
 */
import type { Db } from "./db.ts";

export type Migration = { id: string; sql: string[] };

export async function migrate(db: Db, migrations: readonly Migration[]): Promise<void> {
  await db.execute(
    "CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)",
  );
  const done = new Set(
    (await db.execute("SELECT id FROM schema_migrations")).rows.map((r) => String(r.id)),
  );
  for (const m of migrations) {
    if (done.has(m.id)) continue;
    await db.batch([
      ...m.sql,
      {
        sql: "INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)",
        args: [m.id, new Date().toISOString()],
      },
    ], "write");
  }
}
