/**
 * Importing a journal file on a real database file: once, from where the
 * last import stopped, whoever imports it, and never bringing back what
 * retention trimmed or what "Forget me" deleted.
 */
import { deepStrictEqual, equal } from "node:assert/strict";
import { DriverConnection } from "../database/driver_connection.ts";
import { TrimSchedule } from "../database/trim_schedule.ts";
import { forgetUser } from "../database/users.ts";
import { type JournaledDelivery, journalLine } from "./journal_format.ts";
import { type JournalFile, JournalImporter } from "./journal_import.ts";
import { retentionStatement } from "./store.ts";
import { triggerDatabase } from "./testdata/trigger_database.ts";

const DC = "dc_importtest1";
const OWNER = "u_importtest";

async function setup(keep = 1000) {
  const { dir, path, db } = await triggerDatabase({ deploymentId: DC, externalUserId: OWNER, key: "k" });
  const logs: string[] = [];
  const connections: DriverConnection[] = [];
  const importer = () => {
    const conn = new DriverConnection(path);
    connections.push(conn);
    return new JournalImporter(() => conn, new TrimSchedule(keep, retentionStatement), (l) => logs.push(l));
  };
  const file: JournalFile = { name: "test.jnl", path: `${dir}/test.jnl` };
  const append = (text: string) => Deno.writeTextFileSync(file.path, text, { append: true });
  const ids = async () =>
    (await db.execute("SELECT json_extract(event, '$.n') AS n FROM webhook_events ORDER BY seq")).rows.map((
      r,
    ) => Number(r.n));
  return {
    db,
    file,
    append,
    importer,
    ids,
    logs,
    async close() {
      for (const c of connections) c.close();
      await db.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

const delivery = (n: number, owner = OWNER): JournaledDelivery => ({
  deploymentId: DC,
  externalUserId: owner,
  t: 1_795_000_000 + n,
  signature: `sig${n}`.padEnd(64, "0"),
  receivedAt: Date.now(),
  eventText: JSON.stringify({ n }),
});
const lines = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => journalLine(delivery(from + i))).join("");

Deno.test("a journal is imported once, each import going on from where the last one stopped", async () => {
  const t = await setup();
  try {
    t.append(lines(1, 3));
    const first = t.importer();
    const end = first.importFile(t.file);
    equal(end, Deno.statSync(t.file.path).size);
    deepStrictEqual(await t.ids(), [1, 2, 3]);
    t.append(lines(4, 5));
    // Another importer (another instance adopting it) starts from the stored offset, not from 0.
    t.importer().importFile(t.file);
    first.importFile(t.file);
    deepStrictEqual(await t.ids(), [1, 2, 3, 4, 5]);
    equal(first.importedTo(t.file), Deno.statSync(t.file.path).size);
  } finally {
    await t.close();
  }
});

Deno.test("a line cut short at the end waits; an unreadable one in the middle is skipped and logged", async () => {
  const t = await setup();
  try {
    const whole = journalLine(delivery(2));
    t.append(lines(1, 1) + "not a record\n" + whole.slice(0, 20));
    const importer = t.importer();
    importer.importFile(t.file);
    deepStrictEqual(await t.ids(), [1]);
    equal(t.logs.length, 1);
    // Only `end` bytes are read when the writer says so: a record written past it waits.
    t.append(whole.slice(20) + lines(3, 3));
    importer.importFile(t.file, Deno.statSync(t.file.path).size - journalLine(delivery(3)).length);
    deepStrictEqual(await t.ids(), [1, 2]);
    importer.importFile(t.file);
    deepStrictEqual(await t.ids(), [1, 2, 3]);
  } finally {
    await t.close();
  }
});

Deno.test("importing again brings back neither what retention trimmed nor a forgotten user's events", async () => {
  const t = await setup(10);
  try {
    t.append(lines(1, 30));
    const importer = t.importer();
    importer.importFile(t.file);
    const kept = await t.ids();
    equal(kept.at(-1), 30);
    equal(kept.length <= 10 + 1, true, `kept ${kept.length}`);
    // A crash before the journal was deleted: the next instance imports it again.
    t.importer().importFile(t.file);
    deepStrictEqual(await t.ids(), kept);

    await forgetUser(t.db, OWNER);
    t.append(lines(31, 32));
    importer.importFile(t.file);
    deepStrictEqual(await t.ids(), []);
  } finally {
    await t.close();
  }
});

Deno.test("a replayed delivery in the journal is one row", async () => {
  const t = await setup();
  try {
    t.append(lines(1, 2) + journalLine(delivery(1)));
    t.importer().importFile(t.file);
    deepStrictEqual(await t.ids(), [1, 2]);
  } finally {
    await t.close();
  }
});

Deno.test("forget deletes the file, then what was known of it", async () => {
  const t = await setup();
  try {
    t.append(lines(1, 2));
    const importer = t.importer();
    importer.importFile(t.file);
    importer.forget(t.file);
    equal(importer.importedTo(t.file), 0);
    let gone = false;
    try {
      Deno.statSync(t.file.path);
    } catch {
      gone = true;
    }
    equal(gone, true);
    importer.forget(t.file); // twice: nothing to do
  } finally {
    await t.close();
  }
});
