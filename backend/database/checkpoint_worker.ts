/**
 * Runs in a Worker (checkpointer.ts): its own connection to the database
 * file copies committed pages from the write-ahead log into the database
 * (a PASSIVE checkpoint: it never blocks a reader or the writer) every
 * `intervalMs`, so the app's own connection does not have to, and its
 * requests never wait for a checkpoint's copying and fsync.
 */
import { DriverConnection } from "./driver_connection.ts";

type Start = { url: string; intervalMs: number };

const worker = self as unknown as {
  onmessage: ((e: MessageEvent<Start | "close">) => void) | null;
  postMessage(message: unknown): void;
  close(): void;
};

worker.onmessage = ({ data }) => {
  if (data === "close") return worker.postMessage("closed");
  let conn: DriverConnection | undefined;
  const timer = setInterval(() => {
    try {
      (conn ??= new DriverConnection(data.url.slice("file:".length))).run("PRAGMA wal_checkpoint(PASSIVE)");
    } catch (err) {
      // Locked or busy: the next tick tries again, on a fresh connection (the app's own fallback
      // checkpoints if need be).
      conn?.close();
      conn = undefined;
      worker.postMessage({ error: String((err as Error)?.message ?? err) });
    }
  }, data.intervalMs);
  worker.onmessage = ({ data }) => {
    if (data !== "close") return;
    clearInterval(timer);
    conn?.close();
    worker.postMessage("closed");
  };
};
