/**
 * Checkpoints a local database file off the request thread. In WAL mode a
 * commit appends pages to the log, and every so often a checkpoint copies
 * them into the database file and fsyncs it. By default the connection that
 * commits does that, inside a commit: the libSQL client is synchronous, so
 * the whole event loop (every request) waits on the copy and the fsync, the
 * longest pauses a busy webhook route sees. A Worker with a connection of
 * its own checkpoints instead (checkpoint_worker.ts); the app's connection
 * keeps a far larger automatic checkpoint only as a fallback.
 */

/** Pages in the log before the app's own connection checkpoints anyway (16 MB). */
export const FALLBACK_CHECKPOINT_PAGES = 4000;
const INTERVAL_MS = 200;

export type Checkpointer = { stop(): Promise<void> };

export function startCheckpointer(url: string): Checkpointer {
  const worker = new Worker(new URL("./checkpoint_worker.ts", import.meta.url), { type: "module" });
  let stopped: (() => void) | undefined;
  worker.onmessage = ({ data }) => {
    if (data === "stopped") stopped?.();
    else if (data?.error) console.warn(`database checkpoint: ${data.error}`);
  };
  worker.postMessage({ url, intervalMs: INTERVAL_MS });
  return {
    async stop() {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        stopped = resolve;
        worker.postMessage("stop");
        // A worker that cannot answer (stuck in a checkpoint) is ended anyway.
        timer = setTimeout(resolve, 2000);
      });
      clearTimeout(timer);
      worker.terminate();
    },
  };
}
