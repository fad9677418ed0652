import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { EventsResponse, EventSyncResponse } from "../../shared/api.ts";
import { ManualClock } from "../lib/clock.ts";
import { openDatabase } from "../database/db.ts";
import { migrate } from "../database/migrate.ts";
import { appMigrations } from "../database/migrations.ts";
import { connectAccount, TestBrowser, withServer } from "../testing/fixtures.ts";
import type { TestServer } from "../testing/harness.ts";
import { type Recovery, startRecoveryLoop } from "./recovery.ts";
import { deliver } from "./testdata/deliver.ts";

async function deploySlackTrigger(server: TestServer, browser: TestBrowser) {
  const slack = await connectAccount(browser, server, "slack");
  const deployed = await browser.json<{ id: string }>("/api/triggers", {
    json: {
      triggerId: "slack-new-message",
      configuredProps: { slack: { authProvisionId: slack }, channel: "C01GENERAL" },
    },
  });
  equal(deployed.status, 201);
  const send = async (text: string) => {
    const run = await browser.json("/api/actions/run", {
      json: {
        actionId: "slack-send-message",
        configuredProps: { slack: { authProvisionId: slack }, channel: "C01GENERAL", text },
      },
    });
    equal(run.status, 200);
  };
  return { id: deployed.body.id, send };
}

async function feed(browser: TestBrowser) {
  return EventsResponse.parse((await browser.json("/api/events?limit=100")).body).data;
}

async function sync(browser: TestBrowser) {
  const res = await browser.json("/api/events/sync", { json: {} });
  equal(res.status, 200, JSON.stringify(res.body));
  return EventSyncResponse.parse(res.body);
}

Deno.test("events emitted while the receiver was down are recovered: each in the feed exactly once", async () => {
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    const trigger = await deploySlackTrigger(server, alice);
    // Down for three events (Pipedream sends each once and never again), then up.
    server.sandbox.faults.add({ delivery: "drop", times: 3 });
    for (let i = 0; i < 5; i++) await trigger.send(`m${i}`);
    await server.sandbox.flushDeliveries();
    deepStrictEqual((await feed(alice)).map((e) => (e.event as { text: string }).text).sort(), ["m3", "m4"]);

    deepStrictEqual(await sync(alice), { deployments: 1, recovered: 3, failed: 0 });
    const events = await feed(alice);
    deepStrictEqual(events.map((e) => (e.event as { text: string }).text).sort(), [
      "m0",
      "m1",
      "m2",
      "m3",
      "m4",
    ]);
    deepStrictEqual(
      events.map((e) => [(e.event as { text: string }).text, e.source]).sort(),
      [["m0", "recovered"], ["m1", "recovered"], ["m2", "recovered"], ["m3", "webhook"], ["m4", "webhook"]],
    );
    // Delivered events got their summary from the log when they were paired with it.
    ok(events.every((e) => e.summary?.startsWith("New message in #general")), JSON.stringify(events));
    // Again, and at the interval: nothing new.
    deepStrictEqual(await sync(alice), { deployments: 1, recovered: 0, failed: 0 });
    deepStrictEqual(await server.recovery.syncAll(), { deployments: 1, recovered: 0, failed: 0 });
    equal((await feed(alice)).length, 5);
  });
});

Deno.test("a delivery that arrives after its event was recovered claims that row; replays add nothing", async () => {
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    const trigger = await deploySlackTrigger(server, alice);
    server.sandbox.faults.add({ delivery: "drop", times: 1 });
    await trigger.send("late");
    await server.sandbox.flushDeliveries();
    equal((await sync(alice)).recovered, 1);

    // The delivery Pipedream would have made, arriving now: same event, signed just after the emit.
    const logged = await server.db.execute({
      sql: `SELECT e.ts, e.e, d.signing_key, d.external_user_id FROM sandbox_events e
        JOIN sandbox_deployments d ON d.id = e.deployment_id WHERE e.deployment_id = ?`,
      args: [trigger.id],
    });
    const row = logged.rows[0];
    const target = {
      deploymentId: trigger.id,
      externalUserId: String(row.external_user_id),
      key: String(row.signing_key),
    };
    const now = Number(row.ts) + 1500;
    for (let i = 0; i < 2; i++) {
      const res = await deliver(server.url, target, String(row.e), { now });
      equal(res.status, 200);
      await res.body?.cancel();
    }
    const events = await feed(alice);
    equal(events.length, 1);
    equal(events[0].source, "recovered");
    const keys = await server.db.execute("SELECT delivery_key FROM webhook_events");
    ok(
      String(keys.rows[0].delivery_key).startsWith(`${trigger.id}:`),
      "the recovered row now names its delivery",
    );
  });
});

Deno.test("the receiver failing (a 503 it answers) loses nothing: recovery brings the event in", async () => {
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    const trigger = await deploySlackTrigger(server, alice);
    // The deployment's webhook points at a gate that fails every request, as a
    // receiver with an unavailable database would (storage is the only 5xx).
    const gate = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
      await req.body?.cancel();
      return new Response(JSON.stringify({ error: { code: "storage_unavailable", message: "x" } }), {
        status: 503,
      });
    });
    try {
      server.allowDeliveriesTo(`http://127.0.0.1:${gate.addr.port}`);
      await server.db.execute({
        sql: "UPDATE sandbox_deployments SET webhook_url = ? WHERE id = ?",
        args: [`http://127.0.0.1:${gate.addr.port}/`, trigger.id],
      });
      await trigger.send("while failing");
      await server.sandbox.flushDeliveries();
      const attempt = await server.db.execute(
        "SELECT status, attempts, last_error FROM sandbox_deliveries WHERE deployment_id IS NOT NULL",
      );
      deepStrictEqual(
        attempt.rows.map((r) => [r.status, Number(r.attempts), r.last_error]),
        [["failed", 1, "HTTP 503"]],
        "one attempt, no retry (as observed from Pipedream)",
      );
      equal((await feed(alice)).length, 0);
    } finally {
      await gate.shutdown();
    }
    await server.recovery.syncAll();
    deepStrictEqual((await feed(alice)).map((e) => [(e.event as { text: string }).text, e.source]), [
      ["while failing", "recovered"],
    ]);
  });
});

Deno.test("sync reads only the session user's deployments, is rate limited, and refuses cross-site calls", async () => {
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    const bob = new TestBrowser(server.url);
    await deploySlackTrigger(server, alice);
    deepStrictEqual(await sync(bob), { deployments: 0, recovered: 0, failed: 0 });
    deepStrictEqual(await sync(alice), { deployments: 1, recovered: 0, failed: 0 });
    const limited = await alice.fetch("/api/events/sync", { json: {} });
    equal(limited.status, 429);
    ok(limited.headers.get("retry-after"));
    await limited.body?.cancel();
    const crossSite = await bob.fetch("/api/events/sync", {
      json: {},
      headers: { origin: "https://evil.example" },
    });
    equal(crossSite.status, 403);
    await crossSite.body?.cancel();
    const badBody = await bob.json<{ error: { code: string } }>("/api/events/sync", { json: { all: true } });
    equal(badBody.status, 400);
  }, { limits: { eventSyncs: { capacity: 1, perMinute: 1 } } });
});

Deno.test("sync counts a deployment whose log Pipedream cannot serve as failed, and goes on", async () => {
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    await deploySlackTrigger(server, alice);
    server.sandbox.faults.add({ match: "/events", method: "GET", status: 503, times: 100 });
    deepStrictEqual(await sync(alice), { deployments: 1, recovered: 0, failed: 1 });
    ok(server.logs.some((l) => l.startsWith("webhook recovery failed")), server.logs.join("\n"));
  });
});

Deno.test("the recovery loop runs at start, then on its interval; instances sharing a database take turns", async () => {
  const db = await openDatabase(":memory:");
  await migrate(db, appMigrations);
  const clock = new ManualClock();
  let runs = 0;
  const recovery = {
    syncAll: () => (runs++, Promise.resolve({ deployments: 0, recovered: 0, failed: 0 })),
    syncUser: () => Promise.reject(new Error("not used")),
  } as Recovery;
  const opts = { db, clock, intervalMs: 40, log: () => {}, random: () => 0.5 };
  const first = startRecoveryLoop(recovery, opts);
  await new Promise((r) => setTimeout(r, 10));
  equal(runs, 1, "ran at start");
  // A second instance starting now still runs at start (a restart is when events were missed)…
  const second = startRecoveryLoop(recovery, opts);
  await new Promise((r) => setTimeout(r, 10));
  equal(runs, 2);
  // …but on the interval only one instance per lease runs (the clock has not moved: lease held).
  await new Promise((r) => setTimeout(r, 100));
  equal(runs, 2);
  clock.advance(1000);
  await new Promise((r) => setTimeout(r, 100));
  ok(runs >= 3, `ran again after the lease expired (${runs})`);
  await first.stop();
  await second.stop();
  const after = runs;
  clock.advance(1000);
  await new Promise((r) => setTimeout(r, 100));
  equal(runs, after, "stopped");
  db.close();
});
