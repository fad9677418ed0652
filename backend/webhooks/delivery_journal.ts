/**
 * The delivery journal: how a verified trigger delivery becomes durable
 * before it is acknowledged, without a database commit per request.
 *
 * Deliveries that arrive together are appended to this instance's journal
 * file in one write, and acknowledged once the write returns; a Worker
 * (journal_worker.ts) imports them into webhook_events behind, in large
 * transactions, a few milliseconds later. A commit handed to a Worker and
 * waited for costs the request a round trip between threads (two wake-ups)
 * on top of SQLite's own work; an append costs a system call, and the
 * import's commits are shared by hundreds of rows (bench/README.md has the
 * figures).
 *
 * Durable as the database is: SQLite runs with synchronous = NORMAL (no
 * fsync per commit), so a commit survives the process dying, not the
 * machine; so does a write() that returned. After a crash, the journal is
 * imported by the next instance to start on this database (its file is no
 * longer locked), from where its import had got to (journal_import.ts).
 *
 * Each instance writes its own file in `<database file>.deliveries/`, holding
 * an exclusive lock on it while it lives. A file that cannot be written
 * (a read-only disk, a failed write) turns the journal off: `ready()` says
 * so, and deliveries go through the group commit again.
 */
import { setImmediate } from "node:timers";
import { type DatabaseWorker, spawnDatabaseWorker } from "../database/database_worker.ts";
import { storageUnavailable } from "../http/storage_errors.ts";
import { JOURNAL_EXTENSION, type JournaledDelivery, journalLine, othersJournals } from "./journal_format.ts";
import type { JournalWorkerMessage } from "./journal_worker.ts";

export type DeliveryJournalOptions = {
  /** The database file (a `file:` URL's path). */
  dbPath: string;
  /** Events kept per deployment (retention runs with the import). */
  keep: number;
  log: (line: string) => void;
  /** A file is closed and a new one begun past this size (default 16 MB). */
  rotateBytes?: number;
  /** Written but not yet imported past this, deliveries are refused with a 503 (default 64 MB). */
  maxBacklogBytes?: number;
  /** How often other instances' journals are checked for adoption (default 60 s). */
  adoptEveryMs?: number;
};

type Waiting = { resolve: () => void; reject: (err: unknown) => void };

export class DeliveryJournal {
  readonly dir: string;
  /** This instance's files are `<instance>-<n>.jnl`: its importer knows them, adoption leaves them alone. */
  readonly #instance = crypto.randomUUID();
  #files = 0;
  #file: Deno.FsFile | undefined;
  #name = "";
  /** Earlier files, held (locked) until their import is done, so no other instance adopts them meanwhile. */
  #sealed = new Map<string, Deno.FsFile>();
  /** Bytes written to the current file, and to all of this instance's files. */
  #end = 0;
  #appended = 0;
  /** Of `#appended`, how much the Worker has imported. */
  #imported = 0;
  #lines: string[] = [];
  #waiting: Waiting[] = [];
  #flushScheduled = false;
  #worker: DatabaseWorker | undefined;
  /** Appended bytes the Worker was told of, and whether it has answered since. */
  #told = 0;
  #inFlight = false;
  #settled: { upTo: number; resolve: () => void }[] = [];
  /** The Worker's first adoption pass, until it has run. */
  #adopting: { done: Promise<void>; resolve: () => void } | undefined;
  #off = false;
  #orphanCheck: ReturnType<typeof setInterval> | undefined;
  readonly #rotateBytes: number;
  readonly #maxBacklog: number;
  readonly #encoder = new TextEncoder();

  constructor(private opts: DeliveryJournalOptions) {
    this.dir = `${opts.dbPath}.deliveries`;
    this.#rotateBytes = opts.rotateBytes ?? 16 * 1024 * 1024;
    this.#maxBacklog = opts.maxBacklogBytes ?? 64 * 1024 * 1024;
  }

  /** Whether deliveries may be appended: its file is opened on first use; false once that failed, or closed. */
  ready(): boolean {
    if (!this.#off && !this.#file) this.#begin();
    return !this.#off;
  }

  /** Resolves once the delivery is written; rejects (a 503) when it could not be, or the import is far behind. */
  append(delivery: JournaledDelivery): Promise<void> {
    if (!this.ready() || this.#appended - this.#imported > this.#maxBacklog) {
      return Promise.reject(storageUnavailable());
    }
    this.#lines.push(journalLine(delivery));
    return new Promise((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        // The deliveries already on the event loop join this write.
        setImmediate(() => this.#flush());
      }
    });
  }

  /**
   * At start: when an instance that died left a journal (a file nobody
   * holds), starts the importer, which adopts it; then looks again every
   * `adoptEveryMs` until the importer runs (it looks on its own then). An
   * instance that receives no webhooks starts no Worker for them.
   */
  start(): void {
    this.#lookForOrphans();
    this.#orphanCheck ??= setInterval(() => this.#lookForOrphans(), this.opts.adoptEveryMs ?? 60_000);
    Deno.unrefTimer(this.#orphanCheck);
  }

  #lookForOrphans(): void {
    if (this.#worker || this.#off) {
      clearInterval(this.#orphanCheck);
      return;
    }
    if (listOrphans(this.dir, this.#instance).length) this.ready();
  }

  /**
   * Resolves once everything appended before the call is imported, and the
   * journals adopted at start are, or after `maxWaitMs` (an import held up by
   * a locked database must not hold up its caller for longer).
   */
  async settled(maxWaitMs = 5000): Promise<void> {
    if (this.#flushScheduled) this.#flush();
    const waits: Promise<void>[] = this.#adopting ? [this.#adopting.done] : [];
    if (this.#worker && this.#imported < this.#appended) {
      waits.push(new Promise((resolve) => this.#settled.push({ upTo: this.#appended, resolve })));
    }
    if (!waits.length) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.all(waits),
      new Promise((resolve) => timer = setTimeout(resolve, maxWaitMs)),
    ]);
    clearTimeout(timer);
  }

  /** Writes what is pending, and lets the importer finish (what it cannot is adopted at the next start). */
  async close(): Promise<void> {
    if (this.#flushScheduled) this.#flush();
    this.#off = true;
    clearInterval(this.#orphanCheck);
    if (this.#told < this.#appended) this.#post({ appended: this.#end });
    await this.#worker?.close();
    this.#worker = undefined;
    // Released only now: the importer has deleted what it finished (what it did not, the next start adopts).
    this.#file?.close();
    this.#file = undefined;
    for (const file of this.#sealed.values()) file.close();
    this.#sealed.clear();
    for (const s of this.#settled) s.resolve();
    this.#settled = [];
    this.#adopting?.resolve();
  }

  /** A new file of our own, held locked; false (and the journal off) when there can be none. */
  #begin(): boolean {
    try {
      this.#openFile();
    } catch (err) {
      this.#turnOff(`cannot write a delivery journal in ${this.dir}`, err);
      return false;
    }
    this.#worker ??= this.#spawnWorker();
    return true;
  }

  #openFile(): void {
    Deno.mkdirSync(this.dir, { recursive: true });
    const name = `${this.#instance}-${++this.#files}${JOURNAL_EXTENSION}`;
    const path = `${this.dir}/${name}`;
    // Locked under a name adoption leaves alone, then named: nobody can take it for an orphan.
    const file = Deno.openSync(`${path}.tmp`, { write: true, createNew: true });
    if (!file.tryLockSync(true)) {
      file.close();
      throw new Error(`could not lock ${path}.tmp`);
    }
    Deno.renameSync(`${path}.tmp`, path);
    this.#file = file;
    this.#name = name;
    this.#end = 0;
  }

  #flush(): void {
    this.#flushScheduled = false;
    const waiting = this.#waiting;
    const bytes = this.#encoder.encode(this.#lines.join(""));
    this.#lines = [];
    this.#waiting = [];
    try {
      if (!this.#file) throw new Error("the journal is closed");
      writeAll(this.#file, bytes);
    } catch (err) {
      // A write cut short leaves part of a line: nothing more goes into this file.
      this.#turnOff("a delivery journal write failed", err);
      for (const w of waiting) w.reject(storageUnavailable());
      return;
    }
    this.#end += bytes.length;
    this.#appended += bytes.length;
    for (const w of waiting) w.resolve();
    if (this.#end >= this.#rotateBytes) this.#rotate();
    else this.#tell();
  }

  #rotate(): void {
    const old = { file: this.#file!, name: this.#name, end: this.#end };
    try {
      this.#openFile();
    } catch (err) {
      this.#turnOff("could not begin a new delivery journal file", err);
      return;
    }
    this.#sealed.set(old.name, old.file);
    this.#post({ rotated: { sealedEnd: old.end, own: this.#name } });
    this.#told = this.#appended;
    this.#inFlight = true;
  }

  /**
   * The importer learns how far the file is written: one message at a time,
   * so what is written while it imports goes into its next transaction
   * together.
   */
  #tell(): void {
    if (!this.#worker || this.#inFlight || this.#told >= this.#appended) return;
    this.#told = this.#appended;
    this.#inFlight = true;
    this.#post({ appended: this.#end });
  }

  #post(message: JournalWorkerMessage): void {
    this.#worker?.post(message);
  }

  #spawnWorker(): DatabaseWorker {
    let resolve!: () => void;
    const done = new Promise<void>((r) => resolve = r).then(() => {
      this.#adopting = undefined;
    });
    this.#adopting = { done, resolve };
    const worker = spawnDatabaseWorker(new URL("./journal_worker.ts", import.meta.url), (message) => {
      const data = message as
        | { failed: string }
        | { imported: number; done: string[] }
        | { log: string }
        | { adopted: true };
      if ("log" in data) this.opts.log(data.log);
      else if ("adopted" in data) this.#adopting?.resolve();
      else if ("failed" in data) {
        this.#adopting?.resolve();
        this.#turnOff("the delivery journal's importer could not open the database", data.failed);
      } else {
        this.#imported = data.imported;
        this.#inFlight = false;
        for (const name of data.done) {
          this.#sealed.get(name)?.close();
          this.#sealed.delete(name);
        }
        this.#settled = this.#settled.filter((s) => s.upTo > this.#imported || void s.resolve());
        this.#tell();
      }
    });
    worker.post(
      {
        start: {
          dbPath: this.opts.dbPath,
          dir: this.dir,
          instance: this.#instance,
          own: this.#name,
          keep: this.opts.keep,
          adoptEveryMs: this.opts.adoptEveryMs ?? 60_000,
        },
      } satisfies JournalWorkerMessage,
    );
    return worker;
  }

  #turnOff(what: string, err: unknown): void {
    if (!this.#off) this.opts.log(`${what} (deliveries are committed one batch at a time instead): ${err}`);
    this.#off = true;
  }
}

/**
 * The journal files in `dir` that no live instance holds (a `.tmp` too: one
 * whose creator died before naming it), other than `instance`'s own; each
 * checked by taking its lock for a moment.
 */
export function listOrphans(dir: string, instance: string): string[] {
  return othersJournals(dir, instance).filter((name) => {
    try {
      using file = Deno.openSync(`${dir}/${name}`, { read: true });
      return file.tryLockSync(true); // released as it closes
    } catch {
      return false; // gone meanwhile
    }
  });
}

function writeAll(file: Deno.FsFile, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length;) done += file.writeSync(bytes.subarray(done));
}
