/**
 * Write transactions on a local database file, committed off the request
 * thread. A local connection is synchronous: on the app's own connection a
 * commit stops the event loop, so a busy route alternates between handling
 * requests and waiting for its commit, one core at a time. A Worker with a
 * connection of its own (writer_worker.ts) commits instead, while the event
 * loop goes on with the next requests; SQLite serialises it with the app's
 * other writes as it does any two connections.
 *
 * It starts with the first write and takes writes once it is ready (until
 * then they run on the app's connection, so starting up waits for nothing).
 */
import type { InStatement, ResultSet } from "@libsql/client";
import { spawnDatabaseWorker } from "./database_worker.ts";
import { toResultSet } from "./result_set.ts";
import type { PlainError, WriteAnswer } from "./writer_worker.ts";

export type OffThreadWriter = {
  /** Whether it takes writes yet. */
  readonly ready: boolean;
  write(statements: InStatement[]): Promise<ResultSet[]>;
  close(): Promise<void>;
};

export function startWriter(url: string): OffThreadWriter {
  const waiting = new Map<number, { resolve: (r: ResultSet[]) => void; reject: (e: unknown) => void }>();
  let ready = false;
  let nextId = 1;
  const worker = spawnDatabaseWorker(new URL("./writer_worker.ts", import.meta.url), (message) => {
    const data = message as WriteAnswer | "ready" | { failed: string };
    if (data === "ready") ready = true;
    else if ("failed" in data) {
      console.warn(`database writer could not start (writing in-thread): ${data.failed}`);
    } else {
      const w = waiting.get(data.id);
      waiting.delete(data.id);
      if ("error" in data) w?.reject(toError(data.error));
      else w?.resolve(data.results.map(toResultSet));
    }
  });
  worker.post({ open: url });
  return {
    get ready() {
      return ready;
    },
    write(statements) {
      return new Promise((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        worker.post({ id, statements });
      });
    },
    async close() {
      await worker.close();
      for (const w of waiting.values()) w.reject(new Error("the database was closed"));
    },
  };
}

/** The error as the app's own connection would have thrown it (its code: http/storage_errors.ts reads it). */
function toError(e: PlainError): Error {
  const err = new Error(e.message);
  if (e.name) err.name = e.name;
  if (e.code) Object.assign(err, { code: e.code });
  return err;
}
