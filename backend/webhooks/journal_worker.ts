/**
 * Runs in a Worker (delivery_journal.ts): imports this instance's delivery
 * journal into the database as it is written, and adopts the journals of
 * instances that died (a file nobody holds the lock of) at start and every
 * `adoptEveryMs`.
 *
 * Messages in: `start`, then `appended` (the own file is written up to
 * there), `rotated` (the own file is now another; the old one is complete),
 * and "close". Out: `adopted` once the first adoption pass is done,
 * `imported` (bytes of this instance's journals imported so far, and the
 * earlier files done since: deleted) after each message, `failed` when the
 * database cannot be opened, `log`.
 */
import { DriverConnection } from "../database/driver_connection.ts";
import { TrimSchedule } from "../database/trim_schedule.ts";
import { othersJournals } from "./journal_format.ts";
import { type JournalFile, JournalImporter } from "./journal_import.ts";
import { retentionStatement } from "./store.ts";

export type JournalWorkerStart = {
  start: { dbPath: string; dir: string; instance: string; own: string; keep: number; adoptEveryMs: number };
};
export type JournalWorkerMessage =
  | JournalWorkerStart
  | { appended: number }
  | { rotated: { sealedEnd: number; own: string } }
  | "close";

const worker = self as unknown as {
  onmessage: ((e: MessageEvent<JournalWorkerMessage>) => void) | null;
  postMessage(message: unknown): void;
};

/**
 * After a failed import (the database locked past its busy timeout, the disk
 * full), the next try: 1 s, doubling to at most 30 s while it keeps failing.
 */
const RETRY_MS = { first: 1000, most: 30_000 };
/**
 * The least time between two imports. A commit costs about what 5–10 rows
 * do (each writes the same handful of table and index pages to the log), so
 * under load the rows of this long share one (~400 at 20k events/s), and a
 * busy importer wakes 50 times a second rather than hundreds; a delivery
 * that comes alone is imported at once. 20 ms is invisible next to the live
 * feed's 250 ms poll; in the benchmark it gave 0.56–0.60× against 0.51–0.55×
 * with 4 ms (runs in alternation).
 */
const IMPORT_GAP_MS = 20;

let dir = "";
let instance = "";
let dbPath = "";
let conn: DriverConnection | undefined;
let importer: JournalImporter;
let own: { file: JournalFile; end: number; imported: number };
/** Earlier own files, complete: imported, then deleted. */
const sealed: { file: JournalFile; end: number; imported: number }[] = [];
let doneBytes = 0;
let retry: ReturnType<typeof setTimeout> | undefined;
let retryMs = RETRY_MS.first;
let lastImport = -Infinity;
let adoption: ReturnType<typeof setInterval> | undefined;

const log = (line: string) => worker.postMessage({ log: line });
const fileNamed = (name: string): JournalFile => ({ name, path: `${dir}/${name}` });
const connection = () => (conn ??= new DriverConnection(dbPath));

/** After an error the next use opens a fresh connection: nothing the failure left behind meets the next import. */
function dropConnection() {
  try {
    conn?.close();
  } catch { /* it is being replaced */ }
  conn = undefined;
}

/** Imports what is written of the own files now, or at the end of the gap. */
function importSoon(): void {
  const wait = lastImport + IMPORT_GAP_MS - performance.now();
  if (wait <= 0) importOwn();
  else retry ??= setTimeout(importOwn, wait);
}

/** Imports what is written of the own files; answers how much is in. */
function importOwn(): void {
  clearTimeout(retry);
  retry = undefined;
  lastImport = performance.now();
  const done: string[] = [];
  try {
    while (sealed.length) {
      const s = sealed[0];
      s.imported = importer.importFile(s.file, s.end);
      if (s.imported < s.end) break;
      importer.forget(s.file);
      sealed.shift();
      doneBytes += s.end;
      done.push(s.file.name);
    }
    own.imported = importer.importFile(own.file, own.end);
    retryMs = RETRY_MS.first;
  } catch (err) {
    dropConnection();
    log(`journal import failed (retrying in ${retryMs} ms): ${String((err as Error)?.message ?? err)}`);
    retry = setTimeout(importOwn, retryMs);
    retryMs = Math.min(retryMs * 2, RETRY_MS.most);
  }
  worker.postMessage({
    imported: doneBytes + own.imported + sealed.reduce((n, s) => n + s.imported, 0),
    done,
  });
}

/** Journals whose writer is gone (its lock went with it): imported, then deleted. */
function adoptOrphans(): void {
  for (const name of othersJournals(dir, instance)) {
    const file = fileNamed(name);
    let handle: Deno.FsFile;
    try {
      handle = Deno.openSync(file.path, { read: true });
    } catch {
      continue; // gone meanwhile
    }
    try {
      if (!handle.tryLockSync(true)) continue; // its writer is alive
      if (name.endsWith(".tmp")) {
        Deno.removeSync(file.path);
        continue;
      }
      const before = importer.importedTo(file);
      const to = importer.importFile(file);
      importer.forget(file);
      log(`journal ${name}: adopted from an instance that stopped (${to - before} bytes imported)`);
    } catch (err) {
      dropConnection();
      log(`journal ${name}: adoption failed, tried again later: ${String((err as Error)?.message ?? err)}`);
    } finally {
      handle.close();
    }
  }
}

worker.onmessage = ({ data }) => {
  if (data === "close") {
    clearTimeout(retry);
    clearInterval(adoption);
    if (!own) return worker.postMessage("closed");
    importOwn();
    clearTimeout(retry);
    try {
      if (own.imported >= own.end && sealed.length === 0) importer.forget(own.file);
    } catch { /* adopted at the next start */ }
    dropConnection();
    worker.postMessage("closed");
    return;
  }
  if ("start" in data) {
    const s = data.start;
    dir = s.dir;
    instance = s.instance;
    dbPath = s.dbPath;
    own = { file: fileNamed(s.own), end: 0, imported: 0 };
    importer = new JournalImporter(connection, new TrimSchedule(s.keep, retentionStatement), log);
    try {
      connection();
    } catch (err) {
      worker.postMessage({ failed: String((err as Error)?.message ?? err) });
      return;
    }
    adoptOrphans();
    worker.postMessage({ adopted: true });
    adoption = setInterval(adoptOrphans, s.adoptEveryMs);
    return;
  }
  if ("rotated" in data) {
    own.end = data.rotated.sealedEnd;
    sealed.push(own);
    own = { file: fileNamed(data.rotated.own), end: 0, imported: 0 };
  } else own.end = data.appended;
  importSoon();
};
