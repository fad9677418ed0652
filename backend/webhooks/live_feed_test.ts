import { deepStrictEqual, equal } from "node:assert/strict";
import { openDatabase } from "../database/db.ts";
import { migrate } from "../database/migrate.ts";
import { insertTrigger } from "../database/triggers.ts";
import { MIGRATIONS } from "../runtime.ts";
import { type FeedSignal, LiveFeed, type Outgoing } from "./live_feed.ts";
import { connectEventStatements, deliveredEventsStatement } from "./store.ts";

async function setup() {
  const db = await openDatabase(":memory:");
  await migrate(db, MIGRATIONS);
  for (const [id, user] of [["dc_alice1", "u_alice"], ["dc_bob1", "u_bob"]]) {
    await insertTrigger(db, {
      id,
      externalUserId: user,
      componentKey: "slack-new-message",
      name: "t",
      active: true,
      configuredProps: {},
      signingKey: "k",
      createdAt: new Date().toISOString(),
    });
  }
  let n = 0;
  const event = (user: string, deployment: string) => {
    n++;
    return db.batch([
      deliveredEventsStatement([{
        deploymentId: deployment,
        externalUserId: user,
        contentHash: `hash_${n}`,
        deliveryKey: `key_${n}`,
        emittedAt: Date.now(),
        receivedAt: new Date().toISOString(),
        event: JSON.stringify({ n }),
      }]),
    ], "write");
  };
  const connected = (user: string) =>
    db.batch(
      connectEventStatements({
        bodyHash: `c_${++n}`,
        externalUserId: user,
        type: "CONNECTION_SUCCESS",
        accountId: `apn_${n}`,
        error: null,
        receivedAt: new Date().toISOString(),
      }),
      "write",
    );
  return { db, event, connected };
}

/** Collects what a subscription sends until `count` items arrived. */
async function take(next: () => Promise<FeedSignal>, count: number): Promise<Outgoing[]> {
  const got: Outgoing[] = [];
  while (got.length < count) {
    const s = await next();
    if (s === "end") break;
    if (s !== "heartbeat") got.push(...s);
  }
  return got;
}

Deno.test("a stream gets its backlog, then the shared loop's events, each once, in order, and only its user's", async () => {
  const { db, event, connected } = await setup();
  const feed = new LiveFeed(db, { pollMs: 5, maxStreams: 10 });
  await event("u_alice", "dc_alice1"); // 1: backlog
  await event("u_bob", "dc_bob1"); // 2: another user's
  await connected("u_alice"); // backlog (connect)
  const sub = await feed.open("u_alice", { events: 0, connect: 0 });
  await event("u_alice", "dc_alice1");
  await event("u_bob", "dc_bob1");
  await event("u_alice", "dc_alice1");
  const got = await take(() => sub.next(), 4);
  // Events are told apart by the `n` they carry, Connect events by their seq.
  const label = (g: Outgoing) => `${g.kind}:${(g.data as { event?: { n: number } }).event?.n ?? g.seq}`;
  deepStrictEqual(got.map(label), [
    "event:1",
    "account:1",
    "event:4",
    "event:6",
  ]);
  // webhook_events seqs: n=1 → 1, n=2 → 2, n=4 → 3, n=5 → 4, n=6 → 5; connect_events: 1.
  equal(got[got.length - 1].id, "5.1", "the SSE id is the position after the item");
  // Resuming from a position sends only what came after it.
  const resumed = await feed.open("u_alice", { events: 3, connect: 1 });
  deepStrictEqual((await take(() => resumed.next(), 1)).map((g) => g.seq), [5]);
  sub.close();
  resumed.close();
  equal(feed.openStreams, 0);
  await feed.close();
  db.close();
});

Deno.test("the instance cap is a 429, and a closed stream frees its place", async () => {
  const { db } = await setup();
  const feed = new LiveFeed(db, { pollMs: 5, maxStreams: 2 });
  const a = await feed.open("u_alice", { events: 0, connect: 0 });
  await feed.open("u_bob", { events: 0, connect: 0 });
  await feed.open("u_alice", { events: 0, connect: 0 }).then(
    () => {
      throw new Error("a third stream opened");
    },
    (err) => equal(err.status, 429),
  );
  a.close();
  equal((await feed.open("u_alice", { events: 0, connect: 0 })).userId, "u_alice");
  await feed.close();
  db.close();
});
