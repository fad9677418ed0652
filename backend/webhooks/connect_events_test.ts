import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { signDelivery } from "../lib/webhook_signature.ts";
import { connectAccountViaSandbox } from "../sandbox/testing.ts";
import { TestBrowser, withServer } from "../testing/fixtures.ts";

async function waitForRows(fn: () => Promise<number>, n: number) {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && await fn() < n) await new Promise((r) => setTimeout(r, 50));
}

Deno.test("Connect webhooks: success and error reach only the token's user; forged ones are refused", async () => {
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    const aliceId = (await alice.json<{ externalUserId: string }>("/api/session")).body.externalUserId;
    const token =
      (await alice.json<{ token: string }>("/api/connect/token", { json: { fresh: true } })).body.token;
    const stream = await alice.fetch("/api/events/stream");
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();

    const { accountId } = await connectAccountViaSandbox(`${server.url}/sandbox`, token, "slack");
    const denied =
      (await alice.json<{ token: string }>("/api/connect/token", { json: { fresh: true } })).body.token;
    await connectAccountViaSandbox(`${server.url}/sandbox`, denied, "slack", { deny: true });

    const rows = async () =>
      Number((await server.db.execute("SELECT COUNT(*) AS n FROM connect_events")).rows[0].n);
    await waitForRows(async () => (await server.sandbox.flushDeliveries(), await rows()), 2);
    const events = await server.db.execute(
      "SELECT external_user_id, type, account_id, error FROM connect_events ORDER BY seq",
    );
    deepStrictEqual(
      events.rows.map((r) => [r.external_user_id, r.type, r.account_id]),
      [[aliceId, "CONNECTION_SUCCESS", accountId], [aliceId, "CONNECTION_ERROR", null]],
    );

    // The live stream tells the browser, so the new account appears without a reload.
    let text = "";
    const deadline = Date.now() + 5000;
    while (!text.includes("CONNECTION_ERROR") && Date.now() < deadline) {
      text += (await reader.read()).value ?? "";
    }
    await reader.cancel();
    ok(text.includes(`"accountId":"${accountId}"`), text);
    ok(text.includes("The user denied access"));

    // Nobody else hears of it.
    const bob = new TestBrowser(server.url);
    const bobStream = await bob.fetch("/api/events/stream?since=0.0");
    const bobReader = bobStream.body!.pipeThrough(new TextDecoderStream()).getReader();
    const first = (await bobReader.read()).value ?? "";
    await new Promise((r) => setTimeout(r, 400));
    await bobReader.cancel();
    equal(first.includes("pd-account"), false);

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
    equal(await rows(), 2);
  });
});
