/**
 * Runs in a Worker (writer.ts): a connection of its own to the database
 * file, committing the write batches the app hands it, one at a time, and
 * answering each with its results or its error, as plain data.
 */
import type { InStatement } from "@libsql/client";
import { DriverConnection, type PlainResult } from "./driver_connection.ts";

export type WriteRequest = { id: number; statements: InStatement[] };
export type PlainError = { name: string; message: string; code?: string };
export type WriteAnswer = { id: number; results: PlainResult[] } | { id: number; error: PlainError };

const worker = self as unknown as {
  onmessage: ((e: MessageEvent<{ open: string } | WriteRequest | "close">) => void) | null;
  postMessage(message: unknown): void;
};

let path = "";
let db: DriverConnection | undefined;

worker.onmessage = ({ data }) => {
  if (data === "close") {
    db?.close();
    db = undefined;
    worker.postMessage("closed");
    return;
  }
  if ("open" in data) {
    path = data.open.slice("file:".length);
    try {
      db = new DriverConnection(path);
      worker.postMessage("ready");
    } catch (err) {
      worker.postMessage({ failed: String((err as Error)?.message ?? err) });
    }
    return;
  }
  const { id, statements } = data;
  try {
    db ??= new DriverConnection(path);
    const conn = db;
    worker.postMessage({ id, results: conn.transaction(() => statements.map((s) => conn.run(s))) });
  } catch (err) {
    const e = err as Error & { code?: string };
    // Errors are rare: start afresh after each, so nothing a failure left behind meets the next batch.
    db?.close();
    db = undefined;
    worker.postMessage({ id, error: { name: e?.name, message: String(e?.message ?? e), code: e?.code } });
  }
};
