/**
 * The database handle. `@libsql/client` is the client Val Town's std/sqlite is,
 * so the same queries run locally (a file), in tests (`:memory:`) and on Val Town.
 */
import { type Client, createClient } from "@libsql/client";

export type Db = Client;

export async function openDatabase(url: string): Promise<Db> {
  if (url.startsWith("file:")) {
    const path = url.slice("file:".length);
    const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
    if (dir) await Deno.mkdir(dir, { recursive: true });
  }
  const db = createClient({ url });
  if (url.startsWith("file:")) {
    // WAL lets readers (the event stream) run beside the webhook writer.
    await db.execute("PRAGMA journal_mode = WAL");
    await db.execute("PRAGMA busy_timeout = 5000");
    await db.execute("PRAGMA synchronous = NORMAL");
  }
  return db;
}
