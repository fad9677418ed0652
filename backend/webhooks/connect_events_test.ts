import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { signDelivery } from "../lib/webhook_signature.ts";
import { connectAccountViaSandbox } from "../sandbox/testing.ts";
import { readStream } from "../testing/event_stream.ts";
import { eventually } from "../testing/eventually.ts";
import { TestBrowser, withServer } from "../testing/fixtures.ts";

Deno.test("Connect webhooks: success and error reach only the token's user; forged ones are refused", async () => {
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    const aliceId = (await alice.json<{ externalUserId: string }>("/api/session")).body.externalUserId;
    const token =
      (await alice.json<{ token: string }>("/api/connect/token", { json: { fresh: true } })).body.token;
    const stream = readStream(await alice.fetch("/api/events/stream"));

    const { accountId } = await connectAccountViaSandbox(`${server.url}/sandbox`, token, "slack");
    const denied =
      (await alice.json<{ token: string }>("/api/connect/token", { json: { fresh: true } })).body.token;
    await connectAccountViaSandbox(`${server.url}/sandbox`, denied, "slack", { deny: true });

    const rows = async () =>
      Number((await server.db.execute("SELECT COUNT(*) AS n FROM connect_events")).rows[0].n);
    await eventually(async () => (await server.sandbox.flushDeliveries(), await rows() >= 2));
    const events = await server.db.execute(
      "SELECT external_user_id, type, account_id, error FROM connect_events ORDER BY seq",
    );
    deepStrictEqual(
      events.rows.map((r) => [r.external_user_id, r.type, r.account_id]),
      [[aliceId, "CONNECTION_SUCCESS", accountId], [aliceId, "CONNECTION_ERROR", null]],
    );

    // The live stream tells the browser, so the new account appears without a reload.
    const text = await stream.until("CONNECTION_ERROR");
    await stream.close();
    ok(text.includes(`"accountId":"${accountId}"`), text);
    ok(text.includes("The user denied access"));

    // Nobody else hears of it. Bob replays the stream from the very start and
    // reads until his own, later, connection: anything of Alice's would have
    // come before it.
    const bob = new TestBrowser(server.url);
    const bobToken = (await bob.json<{ token: string }>("/api/connect/token", { json: {} })).body.token;
    const bobAccount = (await connectAccountViaSandbox(`${server.url}/sandbox`, bobToken, "slack"))
      .accountId!;
    await eventually(async () => (await server.sandbox.flushDeliveries(), await rows() >= 3));
    const bobStream = readStream(await bob.fetch("/api/events/stream?since=0.0"));
    const bobText = await bobStream.until(`"accountId":"${bobAccount}"`);
    await bobStream.close();
    equal(bobText.match(/event: pd-account/g)?.length, 1, bobText);
    equal(bobText.includes(accountId!), false, "Alice's account reached Bob");
    equal(bobText.includes("denied"), false, "Alice's failed connection reached Bob");

    // A forged Connect webhook (wrong key) is refused and stores nothing.
    const body = JSON.stringify({ event: "CONNECTION_ERROR", connect_token: token, error: "forged" });
    const forged = await fetch(`${server.url}/webhooks/pipedream/connect`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...await signDelivery("sbx_sec_wrong", body, Date.now(), "x"),
      },
      body,
    });
    equal(forged.status, 401);
    await forged.body?.cancel();
    equal(await rows(), 3);
  });
});
