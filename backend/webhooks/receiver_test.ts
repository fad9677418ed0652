import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { EventsResponse } from "../../shared/api.ts";
import type { Db } from "../database/db.ts";
import { insertTrigger } from "../database/triggers.ts";
import { PD_HEADER } from "../lib/webhook_format.ts";
import { eventually } from "../testing/eventually.ts";
import { stallBody } from "../testing/raw_http.ts";
import { readStream } from "../testing/event_stream.ts";
import { TestBrowser, withServer } from "../testing/fixtures.ts";
import { deliver, deliveryHeaders, eventBody, type Target } from "./testdata/deliver.ts";

const KEY = "sbx_sec_receiver_test_key";

async function ownTrigger(db: Db, browser: TestBrowser, id = "dc_receivertest1"): Promise<Target> {
  const externalUserId = await browser.startSession();
  await insertTrigger(db, {
    id,
    externalUserId,
    componentKey: "slack-new-message",
    name: "New Message In Channel",
    active: true,
    configuredProps: {},
    signingKey: KEY,
    createdAt: new Date().toISOString(),
  });
  return { deploymentId: id, externalUserId, key: KEY };
}

const count = async (db: Db) =>
  Number((await db.execute("SELECT COUNT(*) AS n FROM webhook_events")).rows[0].n);

async function status(res: Promise<Response>): Promise<number> {
  const r = await res;
  await r.body?.cancel();
  return r.status;
}

Deno.test("a delivery in the live format is stored once, filed under its owner, shown to no one else", async () => {
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    const bob = new TestBrowser(server.url);
    await bob.startSession();
    const target = await ownTrigger(server.db, alice);
    const body = JSON.stringify({ type: "message", text: "hi" });
    const now = Date.now();
    equal(await status(deliver(server.url, target, body, { now })), 200);
    // A replay of the same signed delivery adds nothing…
    equal(await status(deliver(server.url, target, body, { now })), 200);
    equal(await count(server.db), 1);
    // …but a second delivery of equal content is a second event (a new signature), never merged.
    equal(await status(deliver(server.url, target, body, { now: now + 2000 })), 200);
    equal(await count(server.db), 2);

    const events = EventsResponse.parse((await alice.json("/api/events")).body);
    deepStrictEqual(
      events.data.map((e) => [e.triggerId, e.triggerName, e.source, e.event]),
      [
        [target.deploymentId, "New Message In Channel", "webhook", { type: "message", text: "hi" }],
        [target.deploymentId, "New Message In Channel", "webhook", { type: "message", text: "hi" }],
      ],
    );
    equal(events.data[1].emittedAt, new Date(Math.floor(now / 1000) * 1000).toISOString());
    deepStrictEqual((await bob.json("/api/events")).body, { data: [], nextCursor: null });
    deepStrictEqual((await bob.json(`/api/events?trigger=${target.deploymentId}`)).body, {
      data: [],
      nextCursor: null,
    });
  });
});

Deno.test("any JSON value is an event: bare strings, numbers and arrays are stored as sent", async () => {
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    const target = await ownTrigger(server.db, alice);
    for (const body of ['"just text"', "42", "[1,2,3]", "null"]) {
      equal(await status(deliver(server.url, target, body)), 200, body);
    }
    const events = EventsResponse.parse((await alice.json("/api/events")).body);
    deepStrictEqual(events.data.map((e) => e.event).reverse(), ["just text", 42, [1, 2, 3], null]);
  });
});

Deno.test("the verification matrix: every forged, stale, misaddressed or hostile delivery leaves nothing", async () => {
  await withServer(async (server) => {
    const target = await ownTrigger(server.db, new TestBrowser(server.url));
    const body = eventBody("evt_bad");
    const unknown = { ...target, deploymentId: "dc_unknown1" };
    const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
    const cases: Array<[string, number, () => Promise<Response>]> = [
      [
        "unsigned",
        401,
        () => deliver(server.url, target, body, { headers: { [PD_HEADER.signature]: null } }),
      ],
      ["forged (wrong key)", 401, () => deliver(server.url, { ...target, key: "sbx_sec_wrong" }, body)],
      ["stale", 401, () => deliver(server.url, target, body, { now: Date.now() - 10 * 60_000 })],
      ["future", 401, () => deliver(server.url, target, body, { now: Date.now() + 10 * 60_000 })],
      [
        "tampered body",
        401,
        () => deliver(server.url, target, body.replace("evt_bad", "evt_evil"), { signedBody: body }),
      ],
      [
        "wrong owner",
        401,
        () => deliver(server.url, target, body, { headers: { [PD_HEADER.externalUserId]: "someone-else" } }),
      ],
      [
        "no owner header",
        401,
        () => deliver(server.url, target, body, { headers: { [PD_HEADER.externalUserId]: null } }),
      ],
      [
        "wrong project",
        401,
        () => deliver(server.url, target, body, { headers: { [PD_HEADER.projectId]: "proj_other" } }),
      ],
      [
        "wrong environment",
        401,
        () => deliver(server.url, target, body, { headers: { [PD_HEADER.environment]: "production" } }),
      ],
      [
        "unreadable x-pd-timestamp",
        401,
        () => deliver(server.url, target, body, { headers: { [PD_HEADER.timestamp]: "not a time" } }),
      ],
      [
        "x-pd-timestamp an hour from the signed t",
        401,
        () =>
          deliver(server.url, target, body, {
            headers: { [PD_HEADER.timestamp]: new Date(Date.now() - 3_600_000).toISOString() },
          }),
      ],
      ["unknown deployment", 401, () => deliver(server.url, unknown, body)],
      [
        "malformed emitter id",
        401,
        () => deliver(server.url, target, body, { headers: { [PD_HEADER.emitterId]: "dc_../../x" } }),
      ],
      ["depth bomb (65 levels), correctly signed", 400, () => deliver(server.url, target, nested(65))],
      [
        "wrong content type",
        415,
        () => deliver(server.url, target, body, { headers: { "content-type": "text/plain" } }),
      ],
      ["too large", 413, () => deliver(server.url, target, JSON.stringify({ pad: "x".repeat(1024 * 1024) }))],
      [
        "too large, streamed with no Content-Length",
        413,
        () =>
          fetch(`${server.url}/webhooks/pipedream/triggers`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: new ReadableStream({
              start(controller) {
                for (let i = 0; i < 17; i++) controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
                controller.close();
              },
            }),
          }),
      ],
      ["bad JSON, correctly signed", 400, () => deliver(server.url, target, "{not json")],
    ];
    const answers = new Map<string, string>();
    for (const [name, expected, send] of cases) {
      const res = await send();
      const text = await res.text();
      equal(res.status, expected, `${name}: ${text}`);
      ok(JSON.parse(text).error.message, `${name} has a message`);
      answers.set(name, text);
    }
    equal(await count(server.db), 0);
    // An unknown deployment is answered exactly like a forged signature.
    equal(answers.get("unknown deployment"), answers.get("forged (wrong key)"));
    equal(answers.get("wrong owner"), answers.get("forged (wrong key)"));
    // The server log says why, for an operator checking a real delivery.
    const log = server.logs.join("\n");
    for (
      const reason of [
        "signature mismatch",
        "over the tolerance",
        "x-pd-external-user-id is not the deployment's owner",
        "x-pd-project-id is not",
        "x-pd-environment is not",
        "no live deployment with this id here",
        "missing or malformed x-pd-signature",
        "malformed x-pd-timestamp",
        "x-pd-timestamp is far from the signature's t",
        "nests deeper than 64",
      ]
    ) ok(log.includes(reason), `logged: ${reason}\n${log}`);
    ok(!log.includes("\n\n"), "user-supplied text cannot break log lines");

    // Exactly at the limit is fine.
    equal(await status(deliver(server.url, target, nested(64))), 200);
    equal(await count(server.db), 1);
    // x-pd-timestamp is unsigned and optional: unix seconds are read too, and a delivery without one is fine.
    const seconds = String(Math.floor(Date.now() / 1000));
    equal(
      await status(
        deliver(server.url, target, eventBody("evt_s"), { headers: { [PD_HEADER.timestamp]: seconds } }),
      ),
      200,
    );
    equal(
      await status(
        deliver(server.url, target, eventBody("evt_n"), { headers: { [PD_HEADER.timestamp]: null } }),
      ),
      200,
    );
    equal(await count(server.db), 3);
  });
});

Deno.test("50 concurrent replays of one signed delivery store one row", async () => {
  await withServer(async (server) => {
    const target = await ownTrigger(server.db, new TestBrowser(server.url));
    const body = eventBody("evt_dup");
    const now = Date.now();
    const results = await Promise.all(
      Array.from({ length: 50 }, () => status(deliver(server.url, target, body, { now }))),
    );
    deepStrictEqual(new Set(results), new Set([200]));
    equal(await count(server.db), 1);
  });
});

Deno.test("events page newest first with cursors; retention keeps the newest 1,000 per deployment", async () => {
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    const target = await ownTrigger(server.db, alice);
    // Trimmed with every 100th event stored: the 1,100th trims back to the newest 1,000.
    const total = 1100;
    for (let start = 0; start < total; start += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, total - start) }, async (_, i) => {
          equal(await status(deliver(server.url, target, eventBody(`evt_${start + i}`))), 200);
        }),
      );
      equal(await count(server.db) <= 1100, true);
    }
    equal(await count(server.db), 1000);
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = `/api/events?trigger=${target.deploymentId}&limit=100${
        cursor ? `&cursor=${cursor}` : ""
      }`;
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
    const target = await ownTrigger(server.db, alice);
    const controller = new AbortController();
    const res = await alice.fetch("/api/events/stream", { signal: controller.signal });
    equal(res.headers.get("content-type")?.startsWith("text/event-stream"), true);
    const stream = readStream(res);
    await stream.until("event: ready");
    await status(deliver(server.url, target, eventBody("evt_live", { live: true })));
    const text = await stream.until('"n":"evt_live"');
    ok(text.includes('"triggerName":"New Message In Channel"'), text);
    const lastId = [...text.matchAll(/^id: (\d+\.\d+)$/gm)].at(-1)?.[1];
    ok(lastId, text);
    controller.abort();
    await stream.close();

    // Resume from before the event: it is sent again; from after it: not.
    await status(deliver(server.url, target, eventBody("evt_after")));
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

Deno.test("a delivery whose body stalls is answered 408 once it has waited too long, and nothing is stored", async () => {
  await withServer(async (server) => {
    const target = await ownTrigger(server.db, new TestBrowser(server.url));
    const body = eventBody("evt_slow");
    const stalled = await stallBody(
      server.url,
      "/webhooks/pipedream/triggers",
      deliveryHeaders(target, body, Date.now()),
      body.slice(0, 5),
      body.length,
    );
    equal(stalled?.status, 408);
    equal(await count(server.db), 0);
  }, { bodyTimeouts: { idleMs: 300 } });
});

Deno.test("a delivery whose sender hangs up mid-body is logged as a client abort, and nothing is stored", async () => {
  await withServer(async (server) => {
    const target = await ownTrigger(server.db, new TestBrowser(server.url));
    const body = eventBody("evt_gone");
    const headers = {
      host: new URL(server.url).host,
      "content-length": String(body.length),
      ...deliveryHeaders(target, body, Date.now()),
    };
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: Number(new URL(server.url).port) });
    const head = Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join("\r\n");
    await conn.write(
      new TextEncoder().encode(
        `POST /webhooks/pipedream/triggers HTTP/1.1\r\n${head}\r\n\r\n${body.slice(0, 5)}`,
      ),
    );
    await new Promise((r) => setTimeout(r, 100));
    conn.close();
    await eventually(() => server.logs.some((l) => l.includes("client_aborted")), {
      what: "a client_aborted log line",
    });
    equal(await count(server.db), 0);
  });
});
