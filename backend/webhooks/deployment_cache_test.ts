import { equal, ok } from "node:assert/strict";
import { migrate } from "../database/migrate.ts";
import { openDatabase } from "../database/db.ts";
import { appMigrations } from "../database/migrations.ts";
import { insertTrigger, markTriggerDeleted } from "../database/triggers.ts";
import { ManualClock } from "../lib/clock.ts";
import { HmacSha256Key } from "../lib/crypto.ts";
import { countingDb } from "../testing/counting_db.ts";
import { DeploymentCache } from "./deployment_cache.ts";

/** A database, and a view of it that counts the reads made through it. */
async function countingDbs() {
  const db = await openDatabase(":memory:");
  await migrate(db, appMigrations);
  const counting = countingDb(db);
  return {
    db,
    wrapped: counting.db,
    counted: {
      get reads() {
        return counting.executes();
      },
    },
  };
}

const deployment = (id: string) => ({
  id,
  externalUserId: "u_owner",
  componentKey: "slack-new-message",
  name: "New Message",
  active: true,
  configuredProps: {},
  signingKey: `sbx_sec_${id}`,
  createdAt: new Date().toISOString(),
});

Deno.test("a deployment is read once for a burst of deliveries, with its owner and its key prepared", async () => {
  const { db, wrapped, counted } = await countingDbs();
  await insertTrigger(db, deployment("dc_cache1"));
  const cache = new DeploymentCache(wrapped, new ManualClock());
  const all = await Promise.all(Array.from({ length: 20 }, () => cache.get("dc_cache1")));
  equal(counted.reads, 1);
  equal(all[19]?.deployment.externalUserId, "u_owner");
  ok(all[19]?.key instanceof HmacSha256Key);
  await cache.get("dc_cache1");
  equal(counted.reads, 1);
  db.close();
});

Deno.test("a delete here is seen at once; one on another instance when the entry expires", async () => {
  const { db, wrapped, counted } = await countingDbs();
  await insertTrigger(db, deployment("dc_cache2"));
  const clock = new ManualClock();
  const cache = new DeploymentCache(wrapped, clock, { ttlMs: 5000 });
  ok(await cache.get("dc_cache2"));

  // Deleted through this instance: forgotten with the delete.
  await markTriggerDeleted(db, "dc_cache2", new Date().toISOString());
  cache.forget("dc_cache2");
  equal(await cache.get("dc_cache2"), undefined);

  // Deleted through another instance (only the database knows): seen once the entry is older than ttlMs.
  await insertTrigger(db, deployment("dc_cache3"));
  ok(await cache.get("dc_cache3"));
  await markTriggerDeleted(db, "dc_cache3", new Date().toISOString());
  clock.advance(4999);
  ok(await cache.get("dc_cache3"), "still the cached copy within its lifetime");
  clock.advance(1);
  equal(await cache.get("dc_cache3"), undefined);
  ok(counted.reads >= 4);
  db.close();
});

Deno.test("unknown ids are not remembered, and a read under way when forgotten is not kept", async () => {
  const { db, wrapped, counted } = await countingDbs();
  const cache = new DeploymentCache(wrapped, new ManualClock());
  equal(await cache.get("dc_later1"), undefined);
  // Recorded just after its first delivery was refused: the next delivery finds it.
  await insertTrigger(db, deployment("dc_later1"));
  ok(await cache.get("dc_later1"));

  await insertTrigger(db, deployment("dc_racing1"));
  const before = counted.reads;
  const reading = cache.get("dc_racing1");
  cache.forget("dc_racing1");
  ok(await reading, "the read under way answers as of before the delete");
  await cache.get("dc_racing1");
  equal(counted.reads, before + 2, "…but is not what later deliveries see");
  db.close();
});

Deno.test("the cache is bounded", async () => {
  const { db, wrapped, counted } = await countingDbs();
  for (const id of ["dc_b1", "dc_b2", "dc_b3"]) await insertTrigger(db, deployment(id));
  const cache = new DeploymentCache(wrapped, new ManualClock(), { maxEntries: 2 });
  for (const id of ["dc_b1", "dc_b2", "dc_b3"]) await cache.get(id);
  const reads = counted.reads;
  await cache.get("dc_b3");
  await cache.get("dc_b2");
  equal(counted.reads, reads);
  await cache.get("dc_b1");
  equal(counted.reads, reads + 1, "the oldest entry made room");
  db.close();
});
