import { deepStrictEqual, equal } from "node:assert/strict";
import { openDatabase } from "../database/db.ts";
import { migrate } from "../database/migrate.ts";
import { appMigrations } from "../database/migrations.ts";
import { insertTrigger } from "../database/triggers.ts";
import { webhookMigrations } from "./schema.ts";
import {
  claimTriggerSql,
  deliveredEventsStatement,
  deliveryKey,
  listEvents,
  PAIRING_WINDOW,
} from "./store.ts";

Deno.test("events stored before the delivery/log keys stay readable, keep their seq, and pair by their log id", async () => {
  const db = await openDatabase(":memory:");
  await migrate(db, [...appMigrations, webhookMigrations[0]]);
  await insertTrigger(db, {
    id: "dc_old1",
    externalUserId: "u1",
    componentKey: "slack-new-message",
    name: "Old trigger",
    active: true,
    configuredProps: {},
    signingKey: "k",
    createdAt: new Date().toISOString(),
  });
  for (const [seq, id] of [[7, "evt_a"], [9, "evt_b"]] as const) {
    await db.execute({
      sql:
        `INSERT INTO webhook_events (seq, event_id, deployment_id, external_user_id, body_hash, received_at, summary, event)
        VALUES (?, ?, 'dc_old1', 'u1', ?, '2026-11-20T10:00:00.000Z', 'old one', '{"text":"old"}')`,
      args: [seq, id, `hash_${id}`],
    });
  }
  await db.execute("DELETE FROM webhook_events WHERE seq = 9");

  await migrate(db, [...appMigrations, ...webhookMigrations]);
  const events = await listEvents(db, "u1", { limit: 10 });
  deepStrictEqual(events.map((e) => [e.seq, e.triggerName, e.source, e.summary, e.event, e.emittedAt]), [
    [7, "Old trigger", "webhook", "old one", { text: "old" }, "2026-11-20T10:00:00.000Z"],
  ]);
  const old = await db.execute("SELECT log_event_id FROM webhook_events");
  equal(old.rows[0].log_event_id, "evt_a");
  // New rows continue after every seq ever handed out (9), so stream positions stay valid.
  await db.execute(deliveredEventsStatement([{
    deploymentId: "dc_old1",
    externalUserId: "u1",
    contentHash: "h",
    deliveryKey: "dc_old1:s",
    emittedAt: Date.now(),
    receivedAt: new Date().toISOString(),
    event: "{}",
  }]));
  equal((await listEvents(db, "u1", { limit: 1 }))[0].seq, 10);
  db.close();
});

Deno.test("the claim trigger in a migrated database is the one store.ts writes for today's pairing window", async () => {
  // Changing PAIRING_WINDOW without a migration that recreates the trigger fails here.
  const db = await openDatabase(":memory:");
  await migrate(db, [...appMigrations, ...webhookMigrations]);
  const rs = await db.execute(
    "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'webhook_events_claim'",
  );
  equal(String(rs.rows[0]?.sql), claimTriggerSql(PAIRING_WINDOW));
  db.close();
});

Deno.test("deliveries stored under the older key (no t) are still known: their replays add nothing", async () => {
  const db = await openDatabase(":memory:");
  await migrate(db, [...appMigrations, ...webhookMigrations.slice(0, 2)]);
  const t = 1795655258;
  await db.execute({
    sql: `INSERT INTO webhook_events (deployment_id, external_user_id, content_hash, delivery_key, source,
      emitted_at, received_at, event) VALUES ('dc_old2', 'u1', 'h', 'dc_old2:abc123', 'webhook', ?, ?, '{}')`,
    args: [t * 1000, new Date().toISOString()],
  });
  await migrate(db, [...appMigrations, ...webhookMigrations]);
  await db.execute(deliveredEventsStatement([{
    deploymentId: "dc_old2",
    externalUserId: "u1",
    contentHash: "h",
    deliveryKey: deliveryKey("dc_old2", t, "abc123"),
    emittedAt: t * 1000,
    receivedAt: new Date().toISOString(),
    event: "{}",
  }]));
  equal(Number((await db.execute("SELECT COUNT(*) AS n FROM webhook_events")).rows[0].n), 1);
  db.close();
});
