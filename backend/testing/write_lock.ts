/**
 * Another connection holding a database file's write lock, as another
 * instance in the middle of a commit would, until `release()`. Through the
 * same SQLite as the app (`node:sqlite`): two copies of SQLite in one process
 * do not see each other's locks (sqlite.org/howtocorrupt.html, 2.2.1), so a
 * lock taken with another driver here would prove nothing.
 */
import { DriverConnection } from "../database/driver_connection.ts";

/** `release()` may be called again (from a `finally`): it releases once. */
export function holdWriteLock(dbPath: string): { release(): void } {
  const conn = new DriverConnection(dbPath);
  conn.run("PRAGMA busy_timeout = 0");
  conn.exec("BEGIN IMMEDIATE");
  conn.run("INSERT INTO app_settings (key, value) VALUES ('lock', 'held')");
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      conn.exec("ROLLBACK");
      conn.close();
    },
  };
}
