import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { EventsResponse } from "../../shared/api.ts";
import type { Db } from "../database/db.ts";
import { insertTrigger } from "../database/triggers.ts";
import { signDelivery } from "../lib/webhook_signature.ts";
import { readStream } from "../testing/event_stream.ts";
import { TestBrowser, withServer } from "../testing/fixtures.ts";
import { deliver, eventBody } from "./testdata/deliver.ts";

const KEY = "sbx_sec_receiver_test_key";

async function ownTrigger(db: Db, browser: TestBrowser, id = "dc_receivertest1"): Promise<string> {
  const { body } = await browser.json<{ externalUserId: string }>("/api/session");
  await insertTrigger(db, {
    id,
    externalUserId: body.externalUserId,
    componentKey: "slack-new-message",
    name: "New Message In Channel",
    active: true,
    configuredProps: {},
    signingKey: KEY,
    createdAt: new Date().toISOString(),
  });
  return id;
}

const count = async (db: Db, table = "webhook_events") =>
  Number((await db.execute(`SELECT COUNT(*) AS n FROM ${table}`)).rows[0].n);

Deno.test("a verified delivery is stored once, filed under its owner, and shown to no one else", async () => {
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    const bob = new TestBrowser(server.url);
    await bob.json("/api/session");
    const dc = await ownTrigger(server.db, alice);
    const body = eventBody(dc, "evt_1", { text: "hi" });
    const res = await deliver(server.url, dc, KEY, body, { id: "evt_1" });
    equal(res.status, 200);
    await res.body?.cancel();
    // Redeliveries: the same delivery id, and the same body under a new delivery id.
    for (const id of ["evt_1", "other-delivery"]) {
      const again = await deliver(server.url, dc, KEY, body, { id });
      equal(again.status, 200);
      await again.body?.cancel();
    }
    equal(await count(server.db), 1);
    const events = EventsResponse.parse((await alice.json("/api/events")).body);
    deepStrictEqual(events.data.map((e) => [e.id, e.triggerId, e.event]), [["evt_1", dc, { text: "hi" }]]);
    deepStrictEqual((await bob.json("/api/events")).body, { data: [], nextCursor: null });
    deepStrictEqual((await bob.json(`/api/events?trigger=${dc}`)).body, { data: [], nextCursor: null });
  });
});

Deno.test("unsigned, badly signed, stale, oversized, mistyped and malformed deliveries leave nothing", async () => {
  await withServer(async (server) => {
    const dc = await ownTrigger(server.db, new TestBrowser(server.url));
    const body = eventBody(dc, "evt_bad");
    const url = `${server.url}/webhooks/pipedream/triggers`;
    const cases: Array<[string, number, () => Promise<Response>]> = [
      [
        "unsigned",
        401,
        () =>
          fetch(url, {
            method: "POST",
            headers: { "content-type": "application/json", "x-pd-emitter-id": dc },
            body,
          }),
      ],
      ["wrong key", 401, () => deliver(server.url, dc, "sbx_sec_wrong", body)],
      ["stale", 401, () => deliver(server.url, dc, KEY, body, { now: Date.now() - 10 * 60_000 })],
      ["future", 401, () => deliver(server.url, dc, KEY, body, { now: Date.now() + 10 * 60_000 })],
      ["tampered body", 401, async () => {
        const headers = await signDelivery(KEY, body, Date.now(), "d1");
        return fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", "x-pd-emitter-id": dc, ...headers },
          body: body.replace("evt_bad", "evt_evil"),
        });
      }],
      [
        "wrong content type",
        415,
        () => deliver(server.url, dc, KEY, body, { headers: { "content-type": "text/plain" } }),
      ],
      [
        "too large",
        413,
        () => deliver(server.url, dc, KEY, JSON.stringify({ pad: "x".repeat(1024 * 1024 + 1) })),
      ],
      ["bad JSON, correctly signed", 400, () => deliver(server.url, dc, KEY, "{not json")],
      ["not an event, correctly signed", 400, () => deliver(server.url, dc, KEY, '{"hello":1}')],
      ["emitter mismatch", 401, () => deliver(server.url, dc, KEY, eventBody("dc_someoneelse", "x"))],
      [
        "unknown deployment",
        410,
        () => deliver(server.url, "dc_unknown1", KEY, eventBody("dc_unknown1", "x")),
      ],
    ];
    for (const [name, status, send] of cases) {
      const res = await send();
      const text = await res.text();
      equal(res.status, status, `${name}: ${text}`);
      ok(JSON.parse(text).error.message, `${name} has a message`);
    }
    equal(await count(server.db), 0);
  });
});

Deno.test("50 concurrent redeliveries of one event store one row", async () => {
  await withServer(async (server) => {
    const dc = await ownTrigger(server.db, new TestBrowser(server.url));
    const body = eventBody(dc, "evt_dup");
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => deliver(server.url, dc, KEY, body, { id: `d${i % 3}` })),
    );
    for (const r of results) {
      equal(r.status, 200);
      await r.body?.cancel();
    }
    equal(await count(server.db), 1);
  });
});

Deno.test("events page newest first with cursors; retention keeps the newest 1,000 per deployment", async () => {
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    const dc = await ownTrigger(server.db, alice);
    const total = 1005;
    for (let start = 0; start < total; start += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, total - start) }, async (_, i) => {
          const res = await deliver(server.url, dc, KEY, eventBody(dc, `evt_${start + i}`));
          equal(res.status, 200);
          await res.body?.cancel();
        }),
      );
    }
    equal(await count(server.db), 1000);
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = `/api/events?trigger=${dc}&limit=100${cursor ? `&cursor=${cursor}` : ""}`;
      const page = EventsResponse.parse((await alice.json(q)).body);
      for (const e of page.data) seen.add(e.id);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    equal(seen.size, 1000);
    equal(pages, 10);
    const bad = await alice.json<{ error: { code: string } }>("/api/events?cursor=abc");
    equal(bad.status, 400);
  });
});

Deno.test("the live stream sends the owner's new events and resumes from Last-Event-ID", async () => {
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    const dc = await ownTrigger(server.db, alice);
    const controller = new AbortController();
    const res = await alice.fetch("/api/events/stream", { signal: controller.signal });
    equal(res.headers.get("content-type")?.startsWith("text/event-stream"), true);
    const stream = readStream(res);
    await stream.until("event: ready");
    const sent = await deliver(server.url, dc, KEY, eventBody(dc, "evt_live", { live: true }));
    await sent.body?.cancel();
    const text = await stream.until('"id":"evt_live"');
    const lastId = [...text.matchAll(/^id: (\d+\.\d+)$/gm)].at(-1)?.[1];
    ok(lastId, text);
    controller.abort();
    await stream.close();

    // Resume from before the event: it is sent again; from after it: not.
    const sentAgain = await deliver(server.url, dc, KEY, eventBody(dc, "evt_after", { n: 2 }));
    await sentAgain.body?.cancel();
    const c2 = new AbortController();
    const resumed = await alice.fetch("/api/events/stream", {
      signal: c2.signal,
      headers: { "last-event-id": lastId },
    });
    const r2 = readStream(resumed);
    const t2 = await r2.until("evt_after");
    ok(!t2.includes("evt_live"), "already-seen events are not resent");
    c2.abort();
    await r2.close();
    const bad = await alice.json("/api/events/stream", { headers: { "last-event-id": "nope" } });
    equal(bad.status, 400);
  });
});
