/**
 * The delivery journal with its importer Worker, on a real database file:
 * appended deliveries reach the database, files rotate and go once imported,
 * an instance's leftovers are adopted only once it is gone, and a journal
 * that cannot be written hands deliveries back to the group commit.
 */
import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { createRuntime } from "../runtime.ts";
import { eventually } from "../testing/eventually.ts";
import { holdWriteLock } from "../testing/write_lock.ts";
import { DeliveryJournal } from "./delivery_journal.ts";
import { type JournaledDelivery, journalLine } from "./journal_format.ts";
import { deliver, eventBody } from "./testdata/deliver.ts";
import { triggerDatabase } from "./testdata/trigger_database.ts";

const DC = "dc_journaltest1";
const OWNER = "u_journaltest";

async function setup() {
  const { dir, path: dbPath, db } = await triggerDatabase({
    deploymentId: DC,
    externalUserId: OWNER,
    key: "sbx_sec_journaltest",
  });
  const logs: string[] = [];
  const journals: DeliveryJournal[] = [];
  const journal = (opts: { rotateBytes?: number; maxBacklogBytes?: number } = {}) => {
    const j = new DeliveryJournal({ dbPath, keep: 100_000, log: (l) => logs.push(l), ...opts });
    journals.push(j);
    return j;
  };
  const ids = async () =>
    (await db.execute("SELECT json_extract(event, '$.n') AS n FROM webhook_events ORDER BY seq")).rows.map((
      r,
    ) => Number(r.n));
  const files = () => {
    try {
      return [...Deno.readDirSync(`${dbPath}.deliveries`)].map((e) => e.name).sort();
    } catch {
      return [];
    }
  };
  return {
    dir,
    dbPath,
    db,
    journal,
    ids,
    files,
    logs,
    async close() {
      for (const j of journals) await j.close();
      await db.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

const delivery = (n: number): JournaledDelivery => ({
  deploymentId: DC,
  externalUserId: OWNER,
  t: 1_795_000_000 + n,
  signature: `sig${n}`.padEnd(64, "0"),
  receivedAt: Date.now(),
  eventText: JSON.stringify({ n, padding: "x".repeat(200) }),
});
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

Deno.test("appended deliveries are written at once and in the database once settled; closing deletes the file", async () => {
  const t = await setup();
  try {
    const journal = t.journal();
    await Promise.all(range(1, 50).map((n) => journal.append(delivery(n))));
    equal(t.files().length, 1, "this instance's journal");
    await journal.settled(30_000);
    deepStrictEqual(await t.ids(), range(1, 50));
    await Promise.all(range(51, 60).map((n) => journal.append(delivery(n))));
    await journal.close();
    deepStrictEqual(await t.ids(), range(1, 60));
    deepStrictEqual(t.files(), [], "imported, then deleted");
    await rejects(journal.append(delivery(61)), { status: 503 });
  } finally {
    await t.close();
  }
});

Deno.test("files rotate past their size, and each is deleted once imported", async () => {
  const t = await setup();
  try {
    const journal = t.journal({ rotateBytes: 2_000 });
    for (const n of range(1, 100)) await journal.append(delivery(n));
    await journal.settled(30_000);
    deepStrictEqual(await t.ids(), range(1, 100));
    await eventually(() => t.files().length === 1, { what: "only the file being written left" });
  } finally {
    await t.close();
  }
});

Deno.test("a journal left by an instance that died is adopted, and settled() waits for it; one still held is not", async () => {
  const t = await setup();
  try {
    Deno.mkdirSync(`${t.dbPath}.deliveries`);
    // Left by a dead instance: nobody holds it.
    Deno.writeTextFileSync(
      `${t.dbPath}.deliveries/dead.jnl`,
      range(1, 3).map((n) => journalLine(delivery(n))).join("") + '["cut sh',
    );
    // Held by a live one (this test, standing in for it).
    const heldPath = `${t.dbPath}.deliveries/alive.jnl`;
    Deno.writeTextFileSync(heldPath, range(10, 11).map((n) => journalLine(delivery(n))).join(""));
    const held = Deno.openSync(heldPath, { read: true });
    ok(held.tryLockSync(true));

    const journal = t.journal();
    journal.start();
    // What recovery waits for before it pairs: the adoption at start too.
    await journal.settled(30_000);
    deepStrictEqual(await t.ids(), [1, 2, 3]);
    // Imported, then deleted, then logged: done once the line is in the log.
    const adopted = () => t.logs.some((l) => l.includes("dead.jnl") && l.includes("adopted"));
    await eventually(adopted, { what: "the dead instance's journal adopted" });
    ok(!t.files().includes("dead.jnl"), "adopted, then deleted");
    ok(t.files().includes("alive.jnl"), "a held journal is left to its writer");
    held.close();
  } finally {
    await t.close();
  }
});

Deno.test("with nothing to adopt, starting writes no file and starts no Worker; a held journal is nothing to adopt", async () => {
  const t = await setup();
  try {
    t.journal().start();
    deepStrictEqual(t.files(), [], "no folder, no file of its own");
    Deno.mkdirSync(`${t.dbPath}.deliveries`);
    const heldPath = `${t.dbPath}.deliveries/alive-1.jnl`;
    Deno.writeTextFileSync(heldPath, journalLine(delivery(1)));
    using held = Deno.openSync(heldPath, { read: true });
    ok(held.tryLockSync(true));
    t.journal().start();
    deepStrictEqual(t.files(), ["alive-1.jnl"], "only the live instance's file");
    deepStrictEqual(await t.ids(), []);
  } finally {
    await t.close();
  }
});

Deno.test("far behind, the journal refuses with a 503 rather than grow without bound", async () => {
  const t = await setup();
  // The importer cannot commit while another connection holds the write lock.
  const lock = holdWriteLock(t.dbPath);
  try {
    const journal = t.journal({ maxBacklogBytes: 3_000 });
    const accepted: number[] = [];
    for (const n of range(1, 20)) {
      const refused = await journal.append(delivery(n)).then(() => false, (err) => err.status === 503);
      if (refused) break;
      accepted.push(n);
    }
    ok(accepted.length >= 5 && accepted.length < 20, `accepted ${accepted.length} before refusing`);
    lock.release();
    await eventually(async () => (await t.ids()).length === accepted.length, {
      timeoutMs: 15_000,
      what: "the backlog imported",
    });
    deepStrictEqual(await t.ids(), accepted);
    await journal.append(delivery(100));
  } finally {
    lock.release();
    await t.close();
  }
});

Deno.test("a journal that cannot be written hands deliveries to the group commit, which refuses while locked", async () => {
  const t = await setup();
  // Where the journal's folder would be, a file: no journal.
  Deno.writeTextFileSync(`${t.dbPath}.deliveries`, "");
  const logs: string[] = [];
  const runtime = await createRuntime({}, {
    databaseUrl: `file:${t.dbPath}`,
    port: 0,
    log: (l) => logs.push(l),
  });
  try {
    const target = { deploymentId: DC, externalUserId: OWNER, key: "sbx_sec_journaltest" };
    const ok1 = await deliver(runtime.url!, target, eventBody("evt_direct"));
    await ok1.body?.cancel();
    equal(ok1.status, 200);
    ok(logs.some((l) => l.includes("cannot write a delivery journal")), logs.join("\n"));
    equal(
      (await t.db.execute("SELECT COUNT(*) AS n FROM webhook_events")).rows[0].n,
      1,
      "committed before the 200",
    );

    await runtime.db.execute("PRAGMA busy_timeout = 200");
    const lock = holdWriteLock(t.dbPath);
    const refused = await deliver(runtime.url!, target, eventBody("evt_locked"));
    await refused.body?.cancel();
    lock.release();
    equal(refused.status, 503);
  } finally {
    await runtime.close();
    await t.close();
  }
});
