/**
 * Runs in a Worker (checkpointer.ts): its own connection to the database
 * file copies committed pages from the write-ahead log into the database
 * (a PASSIVE checkpoint: it never blocks a reader or the writer) every
 * `intervalMs`, so the app's own connection does not have to, and its
 * requests never wait for a checkpoint's copying and fsync.
 */
import { createClient } from "@libsql/client";

type Start = { url: string; intervalMs: number };

const worker = self as unknown as {
  onmessage: ((e: MessageEvent<Start | "close">) => void) | null;
  postMessage(message: unknown): void;
  close(): void;
};

worker.onmessage = ({ data }) => {
  if (data === "close") return worker.postMessage("closed");
  const client = createClient({ url: data.url });
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      await client.execute("PRAGMA wal_checkpoint(PASSIVE)");
    } catch (err) {
      // Locked or busy: the next tick tries again (the app's own fallback checkpoints if need be).
      worker.postMessage({ error: String((err as Error)?.message ?? err) });
    } finally {
      busy = false;
    }
  }, data.intervalMs);
  worker.onmessage = ({ data }) => {
    if (data !== "close") return;
    clearInterval(timer);
    client.close();
    worker.postMessage("closed");
  };
};
