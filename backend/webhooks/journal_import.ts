/**
 * Importing a delivery journal file (delivery_journal.ts) into
 * webhook_events, on a connection of its own (journal_worker.ts runs it).
 *
 * How far a file has been imported is stored in delivery_journals and moved
 * in the same transaction as the rows it brings, after checking that nobody
 * moved it meanwhile: a crash between two imports, or two instances
 * importing one orphaned file at once, never import a record twice (a second
 * import would bring back rows retention has trimmed since). Each record
 * still goes through deliveredEventsStatement, so a delivery stored twice
 * by other ways (a replay, the recovery of the same event) is one row.
 */
import type { DriverConnection } from "../database/driver_connection.ts";
import type { TrimSchedule } from "../database/trim_schedule.ts";
import { type DeliveredEvent, deliveredEvent, deliveredEventsStatement } from "./store.ts";
import { parseJournalLine } from "./journal_format.ts";

export type JournalFile = { name: string; path: string };

/** One transaction's worth of a file: more than the largest record (a 1 MiB event and its metadata). */
export const MAX_IMPORT_BYTES = 4 * 1024 * 1024;
const ROWS_PER_STATEMENT = 200;
const LF = 0x0a;

/** Someone else imported part of the file since we read where it stood. */
class MovedOn extends Error {
  constructor(readonly offset: number) {
    super("the journal's import offset moved");
  }
}

export class JournalImporter {
  constructor(
    private conn: () => DriverConnection,
    private retention: TrimSchedule,
    private log: (line: string) => void,
  ) {}

  /** Where `file` has been imported to (0: not yet). */
  importedTo(file: JournalFile): number {
    const rows = this.conn().run({
      sql: "SELECT imported_bytes FROM delivery_journals WHERE name = ?",
      args: [file.name],
    }).rows;
    return rows.length ? Number(rows[0][0]) : 0;
  }

  /**
   * Imports `file` from where it was imported to, up to `end` (bytes; it is
   * written that far) or, without one, up to its last whole line (a file
   * nobody writes any more, whose last write may have been cut short).
   * Returns the offset it is imported to.
   */
  importFile(file: JournalFile, end?: number): number {
    let offset = this.importedTo(file);
    for (;;) {
      const want = Math.min(MAX_IMPORT_BYTES, (end ?? Infinity) - offset);
      if (want <= 0) return offset;
      const bytes = readAt(file.path, offset, want);
      let upTo = bytes.lastIndexOf(LF) + 1;
      if (upTo === 0) {
        // No whole line: the rest is still being written, or was cut short by a crash.
        if (bytes.length < MAX_IMPORT_BYTES) return offset;
        // Longer than any record: not ours. Skipped, so what follows is imported.
        upTo = bytes.length;
        this.log(`journal ${file.name}: skipped ${upTo} bytes at ${offset} holding no record`);
      }
      try {
        this.#commit(file, offset, bytes.subarray(0, upTo));
        offset += upTo;
      } catch (err) {
        if (!(err instanceof MovedOn)) throw err;
        offset = err.offset;
      }
    }
  }

  /** Deletes an imported file, then what was known of it (in that order: a file never looks new again). */
  forget(file: JournalFile): void {
    try {
      // Emptied first, so its blocks are freed here, off the event loop: the instance that wrote it holds
      // it open until told it is done, and closing the last handle on a deleted 16 MB file took ~3 ms.
      Deno.truncateSync(file.path, 0);
      Deno.removeSync(file.path);
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    }
    this.conn().run({ sql: "DELETE FROM delivery_journals WHERE name = ?", args: [file.name] });
  }

  #commit(file: JournalFile, from: number, bytes: Uint8Array): void {
    const rows: DeliveredEvent[] = [];
    let skipped = 0;
    const lines = new TextDecoder().decode(bytes).split("\n");
    lines.pop(); // after the last LF: nothing
    for (const line of lines) {
      const record = parseJournalLine(line);
      if (record) rows.push(deliveredEvent(record.delivery, record.event));
      else skipped++;
    }
    const conn = this.conn();
    conn.transaction(() => {
      const stored = this.importedTo(file);
      if (stored !== from) throw new MovedOn(stored);
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        conn.run(deliveredEventsStatement(rows.slice(i, i + ROWS_PER_STATEMENT)));
      }
      const trims = new Map(rows.flatMap((r) => {
        const trim = this.retention.stored(r.deploymentId);
        return trim ? [trim] : [];
      }));
      for (const trim of trims.values()) conn.run(trim);
      conn.run({
        sql: `INSERT INTO delivery_journals (name, imported_bytes) VALUES (?, ?)
          ON CONFLICT (name) DO UPDATE SET imported_bytes = excluded.imported_bytes`,
        args: [file.name, from + bytes.length],
      });
    });
    if (skipped) this.log(`journal ${file.name}: skipped ${skipped} unreadable line(s) after byte ${from}`);
  }
}

/** Up to `length` bytes of the file from `offset` (fewer at its end). */
function readAt(path: string, offset: number, length: number): Uint8Array {
  using file = Deno.openSync(path, { read: true });
  const buffer = new Uint8Array(Math.max(0, Math.min(length, file.statSync().size - offset)));
  file.seekSync(offset, Deno.SeekMode.Start);
  let filled = 0;
  while (filled < buffer.length) {
    const n = file.readSync(buffer.subarray(filled));
    if (n === null || n === 0) break;
    filled += n;
  }
  return buffer.subarray(0, filled);
}
