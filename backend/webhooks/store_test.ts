/**
 * The pairing rules of store.ts on a real database: a delivery and the log
 * entry of the same event make one row whichever commits first (or when both
 * are in one group commit); equal-content events are never merged.
 */
import { deepStrictEqual, equal } from "node:assert/strict";
import { type Db, openDatabase } from "../database/db.ts";
import { migrate } from "../database/migrate.ts";
import { appMigrations } from "../database/migrations.ts";
import { contentHash } from "./content_hash.ts";
import { GroupCommitter } from "../database/group_commit.ts";
import { countingDb } from "../testing/counting_db.ts";
import { webhookMigrations } from "./schema.ts";
import {
  deliveredEvents,
  deliveredEventsStatement,
  type LoggedEvent,
  loggedEventStatements,
  retentionStatement,
} from "./store.ts";
import { TrimSchedule } from "../database/trim_schedule.ts";
import { insertTrigger } from "../database/triggers.ts";
import { forgetUser } from "../database/users.ts";

const DC = "dc_storetest1";
const T0 = Date.UTC(2026, 10, 25, 12);

async function freshDb(): Promise<Db> {
  const db = await openDatabase(":memory:");
  await migrate(db, [...appMigrations, ...webhookMigrations]);
  await insertTrigger(db, {
    id: DC,
    externalUserId: "u1",
    componentKey: "slack-new-message",
    name: "store test",
    active: true,
    configuredProps: {},
    signingKey: "k",
    createdAt: new Date(T0).toISOString(),
  });
  return db;
}

/** One delivery's statement list (alone, as the group commit would store it). */
function delivery(event: unknown, tSeconds: number, signature = `sig${tSeconds}`) {
  return [deliveredEventsStatement([{
    deploymentId: DC,
    externalUserId: "u1",
    contentHash: contentHash(event),
    deliveryKey: `${DC}:${signature}`,
    emittedAt: tSeconds * 1000,
    receivedAt: new Date().toISOString(),
    event: JSON.stringify(event),
  }])];
}

async function logEntry(event: unknown, id: string, ts: number): Promise<LoggedEvent> {
  return {
    deploymentId: DC,
    externalUserId: "u1",
    logEventId: id,
    contentHash: await contentHash(event),
    emittedAt: ts,
    receivedAt: new Date().toISOString(),
    summary: `summary of ${id}`,
    event: JSON.stringify(event),
  };
}

async function rows(db: Db) {
  const rs = await db.execute(
    "SELECT source, log_event_id, delivery_key IS NOT NULL AS delivered FROM webhook_events ORDER BY seq",
  );
  return rs.rows.map((
    r,
  ) => [String(r.source), r.log_event_id === null ? null : String(r.log_event_id), Number(r.delivered)]);
}

Deno.test("content hashes ignore key order and whitespace, so a delivery and the log's `e` hash alike", async () => {
  equal(
    await contentHash(JSON.parse('{"b":1, "a":{"y":[1,2],"x":null}}')),
    await contentHash({ a: { x: null, y: [1, 2] }, b: 1 }),
  );
  equal((await contentHash([1, 2])) === (await contentHash([2, 1])), false);
  equal((await contentHash({ a: "1" })) === (await contentHash({ a: 1 })), false);
});

Deno.test("a delivery racing the recovery of the same event stores one row, in every order", async () => {
  const event = { type: "message", text: "race" };
  const t = Math.floor(T0 / 1000) + 1;
  for (
    const order of [
      "delivery first",
      "log first",
      "one group commit, delivery first",
      "one group commit, log first",
    ]
  ) {
    const db = await freshDb();
    const d = await delivery(event, t);
    const l = loggedEventStatements([await logEntry(event, "evt_1", T0)]);
    if (order === "delivery first") {
      await db.batch(d, "write");
      await db.batch(l, "write");
    } else if (order === "log first") {
      await db.batch(l, "write");
      await db.batch(d, "write");
    } else {
      const committer = new GroupCommitter(db);
      const [a, b] = order.endsWith("delivery first") ? [d, l] : [l, d];
      await Promise.all([committer.commit(a), committer.commit(b)]);
    }
    // Whichever came second finds the first: one row, knowing both its delivery and its log entry.
    const stored = await rows(db);
    equal(stored.length, 1, order);
    deepStrictEqual(stored[0].slice(1), ["evt_1", 1], order);
    // And nothing more on a replay or a second recovery.
    await db.batch(await delivery(event, t), "write");
    await db.batch(loggedEventStatements([await logEntry(event, "evt_1", T0)]), "write");
    equal((await rows(db)).length, 1, order);
    db.close();
  }
});

Deno.test("equal-content events stay distinct rows: paired nearest first, the rest recovered", async () => {
  const db = await freshDb();
  const tick = { type: "tick" };
  const s = Math.floor(T0 / 1000);
  // Three ticks emitted a minute apart; only the second was delivered.
  await db.batch(await delivery(tick, s + 61), "write");
  const entries = [
    await logEntry(tick, "e1", T0),
    await logEntry(tick, "e2", T0 + 60_000),
    await logEntry(tick, "e3", T0 + 120_000),
  ];
  await db.batch(loggedEventStatements(entries), "write");
  deepStrictEqual(await rows(db), [["webhook", "e2", 1], ["recovered", "e1", 0], ["recovered", "e3", 0]]);

  // All delivered, each a second after its emit: each delivery pairs with its own entry.
  const db3 = await freshDb();
  for (const k of [0, 1, 2]) await db3.batch(await delivery(tick, s + 60 * k + 1), "write");
  await db3.batch(loggedEventStatements(entries), "write");
  deepStrictEqual(await rows(db3), [["webhook", "e1", 1], ["webhook", "e2", 1], ["webhook", "e3", 1]]);
  db3.close();

  // Two deliveries of equal content (two signatures) are two events, each paired with its own entry.
  const db2 = await freshDb();
  await db2.batch([...await delivery(tick, s + 1), ...await delivery(tick, s + 31)], "write");
  await db2.batch(
    loggedEventStatements([await logEntry(tick, "a", T0), await logEntry(tick, "b", T0 + 30_000)]),
    "write",
  );
  deepStrictEqual(await rows(db2), [["webhook", "a", 1], ["webhook", "b", 1]]);
  db.close();
  db2.close();
});

Deno.test("a delivery far from any recovered row of equal content is a new event, not a claim", async () => {
  const db = await freshDb();
  const tick = { type: "tick" };
  await db.batch(loggedEventStatements([await logEntry(tick, "old", T0)]), "write");
  await db.batch(await delivery(tick, Math.floor(T0 / 1000) + 3600), "write");
  deepStrictEqual(await rows(db), [["recovered", "old", 0], ["webhook", null, 1]]);
  db.close();
});

Deno.test("a replay never claims another equal-content event's recovered row", async () => {
  const db = await freshDb();
  const tick = { type: "tick" };
  const s = Math.floor(T0 / 1000);
  // e1 delivered and paired; e2 (equal content) recovered, its delivery never came.
  await db.batch(await delivery(tick, s + 1), "write");
  await db.batch(
    loggedEventStatements([await logEntry(tick, "e1", T0), await logEntry(tick, "e2", T0 + 20_000)]),
    "write",
  );
  deepStrictEqual(await rows(db), [["webhook", "e1", 1], ["recovered", "e2", 0]]);
  // e1's delivery replayed: nothing changes.
  await db.batch(await delivery(tick, s + 1), "write");
  deepStrictEqual(await rows(db), [["webhook", "e1", 1], ["recovered", "e2", 0]]);
  db.close();
});

Deno.test("a delivery claims a recovered row emitted up to the lag before it, never one emitted after it", async () => {
  const tick = { type: "tick" };
  const s = Math.floor(T0 / 1000);
  // Signed 4 minutes after the emit (it waited in Pipedream's queue): the same event.
  const late = await freshDb();
  await late.batch(loggedEventStatements([await logEntry(tick, "e1", T0)]), "write");
  await late.batch(delivery(tick, s + 240), "write");
  deepStrictEqual(await rows(late), [["recovered", "e1", 1]]);
  // Signed a minute before the logged emit: another event of equal content.
  const early = await freshDb();
  await early.batch(loggedEventStatements([await logEntry(tick, "e1", T0)]), "write");
  await early.batch(delivery(tick, s - 60), "write");
  deepStrictEqual(await rows(early), [["recovered", "e1", 0], ["webhook", null, 1]]);
  late.close();
  early.close();
});

Deno.test("deliveries sharing one group commit are one INSERT, with the same outcomes as one by one", async () => {
  const db = await freshDb();
  const tick = { type: "tick" };
  const s = Math.floor(T0 / 1000);
  await db.batch(delivery({ type: "first" }, s), "write");
  await db.batch(
    loggedEventStatements([await logEntry(tick, "r1", T0 + 10_000), await logEntry(tick, "r2", T0 + 20_000)]),
    "write",
  );
  const { db: counting, batches: statementsPerCommit } = countingDb(db);
  const committer = new GroupCommitter(counting);
  const row = (event: unknown, t: number) => ({
    deploymentId: DC,
    externalUserId: "u1",
    contentHash: contentHash(event),
    deliveryKey: `${DC}:sig${t}`,
    emittedAt: t * 1000,
    receivedAt: new Date().toISOString(),
    event: JSON.stringify(event),
  });
  await Promise.all([
    committer.commitRow(deliveredEvents, row({ type: "first" }, s)), // a replay: nothing
    committer.commitRow(deliveredEvents, row(tick, s + 11)), // claims r1
    committer.commitRow(deliveredEvents, row(tick, s + 21)), // claims r2 (r1 is taken)
    committer.commitRow(deliveredEvents, row(tick, s + 22)), // equal content, nothing left to claim: new
    committer.commitRow(deliveredEvents, row(tick, s + 22)), // its replay, in the same commit: nothing
    committer.commitRow(deliveredEvents, row({ type: "new" }, s + 30)),
  ]);
  deepStrictEqual(statementsPerCommit, [1]);
  deepStrictEqual(await rows(db), [
    ["webhook", null, 1],
    ["recovered", "r1", 1],
    ["recovered", "r2", 1],
    ["webhook", null, 1],
    ["webhook", null, 1],
  ]);
  db.close();
});

Deno.test("retention trims a deployment to its newest events once every tenth of the limit", async () => {
  const schedule = new TrimSchedule(30, retentionStatement);
  equal(schedule.every, 3);
  deepStrictEqual(
    Array.from({ length: 7 }, () => schedule.stored("dc_counted") !== undefined),
    [false, false, true, false, false, true, false],
  );

  const db = await freshDb();
  const committer = new GroupCommitter(db);
  const retention = new TrimSchedule(30, retentionStatement);
  for (let i = 0; i < 36; i++) {
    await committer.commitRow(deliveredEvents, {
      deploymentId: DC,
      externalUserId: "u1",
      contentHash: `h${i}`,
      deliveryKey: `${DC}:s${i}`,
      emittedAt: T0 + i * 1000,
      receivedAt: new Date().toISOString(),
      event: JSON.stringify({ i }),
    }, retention.stored(DC));
    const n = Number((await db.execute("SELECT COUNT(*) AS n FROM webhook_events")).rows[0].n);
    // Never more than the limit and a tenth of it; exactly the limit just after a trim.
    equal(n <= 33, true, `${n} after ${i + 1}`);
    if ((i + 1) % 3 === 0 && i + 1 >= 30) equal(n, 30, `after ${i + 1}`);
  }
  const kept = await db.execute("SELECT event FROM webhook_events ORDER BY seq");
  deepStrictEqual(
    kept.rows.map((r) => JSON.parse(String(r.event)).i),
    Array.from({ length: 30 }, (_, k) => k + 6),
  );
  db.close();
});

Deno.test("a delivery stored after its owner was forgotten adds nothing, and one for another owner's deployment neither", async () => {
  const db = await freshDb();
  const stranger = deliveredEventsStatement([{
    deploymentId: DC,
    externalUserId: "u2",
    contentHash: contentHash({ n: 1 }),
    deliveryKey: `${DC}:1:stranger`,
    emittedAt: T0,
    receivedAt: new Date(T0).toISOString(),
    event: '{"n":1}',
  }]);
  await db.batch([stranger], "write");
  deepStrictEqual(await rows(db), []);
  await forgetUser(db, "u1");
  await db.batch(delivery({ n: 2 }, T0 / 1000), "write");
  deepStrictEqual(await rows(db), []);
  db.close();
});
