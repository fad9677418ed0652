/**
 * Checkpoints a local database file off the request thread. In WAL mode a
 * commit appends pages to the log, and every so often a checkpoint copies
 * them into the database file and fsyncs it. By default the connection that
 * commits does that, inside a commit: a local connection is synchronous, so
 * the whole event loop (every request) waits on the copy and the fsync, the
 * longest pauses a busy webhook route sees. A Worker with a connection of
 * its own checkpoints instead (checkpoint_worker.ts); the app's connection
 * keeps a far larger automatic checkpoint only as a fallback.
 */

import { spawnDatabaseWorker } from "./database_worker.ts";

/** Pages in the log before the app's own connection checkpoints anyway (16 MB). */
export const FALLBACK_CHECKPOINT_PAGES = 4000;
const INTERVAL_MS = 200;

export type Checkpointer = { stop(): Promise<void> };

export function startCheckpointer(url: string): Checkpointer {
  const worker = spawnDatabaseWorker(new URL("./checkpoint_worker.ts", import.meta.url), (data) => {
    const error = (data as { error?: string })?.error;
    if (error) console.warn(`database checkpoint: ${error}`);
  });
  worker.post({ url, intervalMs: INTERVAL_MS });
  return { stop: () => worker.close() };
}
