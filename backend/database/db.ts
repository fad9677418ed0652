/**
 * The database handle. A local file (or `:memory:` in tests) is opened with
 * the SQLite inside Deno (local_client.ts); a remote one (Val Town's, Turso)
 * with `@libsql/client`, the client Val Town's std/sqlite is. The app speaks
 * the client's interface to both, so the same queries run everywhere.
 */
import type { InArgs, InStatement, ResultSet, TransactionMode } from "@libsql/client";
import { type Checkpointer, FALLBACK_CHECKPOINT_PAGES, startCheckpointer } from "./checkpointer.ts";
import { type OffThreadWriter, startWriter } from "./writer.ts";

/** What the app uses of a libSQL client (local_client.ts answers the same for a local file). */
export interface Db {
  execute(stmt: InStatement | string, args?: InArgs): Promise<ResultSet>;
  batch(stmts: InStatement[], mode?: TransactionMode): Promise<ResultSet[]>;
  /** A script of statements without arguments, run as one (a new database's schema: migrate.ts). */
  executeMultiple(sql: string): Promise<void>;
  /** Resolves once everything it started has stopped (a file database's checkpointer). */
  close(): void | Promise<void>;
}

const isLocal = (url: string) => url.startsWith("file:") || url === ":memory:";

async function connect(url: string): Promise<Db> {
  // Loaded only for a remote database. Its web build speaks libSQL's protocols over HTTP and WebSockets
  // and loads no native addon (the package's default build would, for files this app opens itself).
  if (!isLocal(url)) return (await import("@libsql/client/web")).createClient({ url });
  // Loaded only for a local database too: a val on a remote one never loads node:sqlite.
  const { LocalClient } = await import("./local_client.ts");
  // The wait (busy timeout) comes first, set as it opens: several instances may open a new file at once.
  const client = new LocalClient(
    url === ":memory:" ? url : url.slice("file:".length),
    // Checkpoints are the checkpointer's job (checkpointer.ts); this is the fallback.
    FALLBACK_CHECKPOINT_PAGES,
  );
  if (url.startsWith("file:")) {
    // WAL lets readers (the event stream) run beside the webhook writer.
    // Switching to it takes the file for a moment, and the busy timeout
    // does not cover that switch: another instance doing it too is retried.
    for (let attempt = 1;; attempt++) {
      try {
        await client.execute("PRAGMA journal_mode = WAL");
        break;
      } catch (err) {
        if (attempt >= 50 || !/database is locked/i.test(String((err as Error).message))) throw err;
        await new Promise((r) => setTimeout(r, 20 + Math.random() * 80));
      }
    }
  }
  return client;
}

/** How long after the first write the writer and checkpointer start. */
const WORKERS_AFTER_MS = 500;

/**
 * A file database that reconnects when its connection is left unusable (a
 * commit that can neither finish nor roll back, a statement left in
 * progress: libSQL's driver did this after a write failed on a locked file).
 * The failing request still gets its error; the next one gets a fresh
 * connection, so the app recovers without a restart.
 */
class ReconnectingDb implements Db {
  #client: Promise<Db>;
  /**
   * Both started a moment after the first write, not during it: a database
   * only read needs neither, and starting two Workers is work the first
   * requests after a start should not wait behind. Writes run on the app's
   * connection until the writer is up.
   */
  #checkpointer: Checkpointer | undefined;
  #writer: OffThreadWriter | undefined;
  #startWorkers: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  constructor(private url: string, first: Db) {
    this.#client = Promise.resolve(first);
  }

  #workersSoon(): void {
    if (this.#startWorkers !== undefined || this.#closed) return;
    this.#startWorkers = setTimeout(() => {
      this.#checkpointer = startCheckpointer(this.url);
      this.#writer = startWriter(this.url);
    }, WORKERS_AFTER_MS);
    // A process with nothing else to do may end before then.
    Deno.unrefTimer(this.#startWorkers as unknown as number);
  }

  async #run<T>(fn: (c: Db) => Promise<T>): Promise<T> {
    const client = await this.#client;
    try {
      return await fn(client);
    } catch (err) {
      if (/statements in progress|cannot (commit|rollback)/i.test(String((err as Error)?.message))) {
        this.#client = connect(this.url);
        client.close();
      }
      throw err;
    }
  }

  execute(stmt: InStatement | string, args?: InArgs): Promise<ResultSet> {
    return this.#run((c) => c.execute(stmt, args));
  }
  executeMultiple(sql: string): Promise<void> {
    return this.#run((c) => c.executeMultiple(sql));
  }
  batch(stmts: InStatement[], mode?: TransactionMode): Promise<ResultSet[]> {
    if (mode === "write") {
      this.#workersSoon();
      // Off the request thread once the writer is up (writer.ts).
      if (this.#writer?.ready) return this.#writer.write(stmts);
    }
    return this.#run((c) => c.batch(stmts, mode));
  }
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#startWorkers);
    this.#client.then((c) => c.close(), () => {});
    await Promise.all([this.#writer?.close(), this.#checkpointer?.stop()]);
  }
}

export async function openDatabase(url: string): Promise<Db> {
  if (url.startsWith("file:")) {
    const path = url.slice("file:".length);
    const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
    if (dir) await Deno.mkdir(dir, { recursive: true });
    return new ReconnectingDb(url, await connect(url));
  }
  // In memory, a new connection would be a new, empty database: no reconnecting.
  return await connect(url);
}
