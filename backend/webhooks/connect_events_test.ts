import { deepStrictEqual, equal, match, ok } from "node:assert/strict";
import { PD_HEADER, signatureHeaders } from "../lib/webhook_format.ts";
import { connectAccountViaSandbox } from "../sandbox/testing.ts";
import { readStream } from "../testing/event_stream.ts";
import { eventually } from "../testing/eventually.ts";
import { TestBrowser, withServer } from "../testing/fixtures.ts";
import type { TestServer } from "../testing/harness.ts";

const waitForRows = (server: TestServer, n: number) =>
  eventually(async () => (await server.sandbox.flushDeliveries(), await connectRows(server) >= n), {
    what: `${n} Connect events stored`,
  });

const connectRows = async (server: TestServer) =>
  Number((await server.db.execute("SELECT COUNT(*) AS n FROM connect_events")).rows[0].n);

async function mint(browser: TestBrowser): Promise<string> {
  return (await browser.json<{ token: string }>("/api/connect/token", { json: { fresh: true } })).body.token;
}

/** The webhook URI the app gave Pipedream with this token (as Pipedream keeps it). */
async function hookUrl(server: TestServer, token: string): Promise<string> {
  const rs = await server.db.execute({
    sql: "SELECT webhook_uri FROM sandbox_connect_tokens WHERE token = ?",
    args: [token],
  });
  return String(rs.rows[0].webhook_uri);
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

Deno.test("Connect webhooks, unsigned as documented: success and error reach only the token's user", async () => {
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    const aliceId = await alice.startSession();
    const token = await mint(alice);
    const url = await hookUrl(server, token);
    match(url, new RegExp(`^${server.url}/webhooks/pipedream/connect/[A-Za-z0-9_-]{43}$`));
    const stream = readStream(await alice.fetch("/api/events/stream"));

    // Capture what the sandbox sends, on its way to the app.
    const sent: Array<{ headers: Headers; body: Record<string, unknown> }> = [];
    const tap = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
      const text = await req.text();
      sent.push({ headers: req.headers, body: JSON.parse(text) });
      return await post(url, text, Object.fromEntries(req.headers));
    });
    server.allowDeliveriesTo(`http://127.0.0.1:${tap.addr.port}`);
    await server.db.execute({
      sql: "UPDATE sandbox_connect_tokens SET webhook_uri = ? WHERE token = ?",
      args: [`http://127.0.0.1:${tap.addr.port}/`, token],
    });
    const { accountId } = await connectAccountViaSandbox(`${server.url}/sandbox`, token, "slack");
    await waitForRows(server, 1);
    await tap.shutdown();

    const denied = await mint(alice);
    await connectAccountViaSandbox(`${server.url}/sandbox`, denied, "slack", { deny: true });
    await waitForRows(server, 2);
    const events = await server.db.execute(
      "SELECT external_user_id, type, account_id, error FROM connect_events ORDER BY seq",
    );
    deepStrictEqual(
      events.rows.map((r) => [r.external_user_id, r.type, r.account_id, r.error]),
      [[aliceId, "CONNECTION_SUCCESS", accountId, null], [
        aliceId,
        "CONNECTION_ERROR",
        null,
        "The user denied access",
      ]],
    );

    // The documented body: flat, no signature, a huge session id, custom_fields_json a string.
    equal(sent.length, 1);
    equal(sent[0].headers.get(PD_HEADER.signature), null);
    const body = sent[0].body as {
      event: string;
      connect_token: string;
      environment: string;
      connect_session_id: number;
      account: { id: string; external_id: string; app: { custom_fields_json: unknown; connect: unknown } };
    };
    deepStrictEqual(Object.keys(body), [
      "event",
      "connect_token",
      "environment",
      "connect_session_id",
      "account",
    ]);
    equal(body.connect_token, token);
    ok(body.connect_session_id > 1e30, String(body.connect_session_id));
    equal(typeof body.account.app.custom_fields_json, "string");
    deepStrictEqual(Object.keys(body.account.app.connect as object), [
      "allowed_domains",
      "base_proxy_target_url",
      "proxy_enabled",
    ]);

    // The live stream tells the browser, so the new account appears without a reload.
    const text = await stream.until("CONNECTION_ERROR");
    await stream.close();
    ok(text.includes(`"accountId":"${accountId}"`), text);
    ok(text.includes("The user denied access"));

    // Nobody else hears of it. Bob replays the stream from the very start and
    // reads until his own, later, connection: anything of Alice's would have
    // come before it.
    const bob = new TestBrowser(server.url);
    const bobAccount = (await connectAccountViaSandbox(`${server.url}/sandbox`, await mint(bob), "slack"))
      .accountId!;
    await waitForRows(server, 3);
    const bobStream = readStream(await bob.fetch("/api/events/stream?since=0.0"));
    const bobText = await bobStream.until(`"accountId":"${bobAccount}"`);
    await bobStream.close();
    equal(bobText.match(/event: pd-account/g)?.length, 1, bobText);
    equal(bobText.includes(accountId!), false, "Alice's account reached Bob");
    equal(bobText.includes("denied"), false, "Alice's failed connection reached Bob");

    // The app never rotated the project's webhook key to mint these tokens.
    const rotations = await server.db.execute(
      "SELECT COUNT(*) AS n FROM sdk_calls WHERE path LIKE '%regenerate_signing_key%'",
    );
    equal(Number(rotations.rows[0].n), 0);
  });
});

Deno.test("Connect webhooks signed with the project key verify when it is configured; a bad signature is refused", async () => {
  const projectKey = "sbx_sec_project_key_for_test";
  await withServer(async (server) => {
    await server.db.execute({
      sql: "INSERT INTO sandbox_settings (key, value) VALUES ('project_webhook_signing_key', ?)",
      args: [projectKey],
    });
    server.sandbox.faults.add({ delivery: "sign" });
    const alice = new TestBrowser(server.url);
    const token = await mint(alice);
    await connectAccountViaSandbox(`${server.url}/sandbox`, token, "slack");
    await waitForRows(server, 1);
    equal(await connectRows(server), 1);
    const signed = await server.db.execute("SELECT sent_headers FROM sandbox_deliveries");
    match(String(signed.rows[0].sent_headers), /"x-pd-signature":"t=\d+,v1=[0-9a-f]{64}"/);

    // Same URL, a body signed with another key: refused, nothing stored.
    const url = await hookUrl(server, token);
    const body = JSON.stringify({ event: "CONNECTION_ERROR", connect_token: token, error: "forged" });
    const forged = await post(url, body, await signatureHeaders("sbx_sec_wrong", body, Date.now()));
    equal(forged.status, 401);
    await forged.body?.cancel();
    const stale = await post(url, body, await signatureHeaders(projectKey, body, Date.now() - 600_000));
    equal(stale.status, 401);
    await stale.body?.cancel();
    equal(await connectRows(server), 1);
    // Unsigned is still fine (Pipedream documents them unsigned).
    const unsigned = await post(url, body);
    equal(unsigned.status, 200);
    await unsigned.body?.cancel();
    equal(await connectRows(server), 2);
  }, { env: { PIPEDREAM_WEBHOOK_SIGNING_KEY: projectKey } });
});

Deno.test("a wrong or missing URL secret, another token, or another user's account: nothing stored or shown", async () => {
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    const bob = new TestBrowser(server.url);
    const aliceToken = await mint(alice);
    const aliceUrl = await hookUrl(server, aliceToken);
    const bobToken = await mint(bob);
    const bobAccount = (await connectAccountViaSandbox(`${server.url}/sandbox`, bobToken, "slack"))
      .accountId!;
    await waitForRows(server, 1);
    const before = await connectRows(server);
    const success = (token: string, accountId: string) => ({
      event: "CONNECTION_SUCCESS",
      connect_token: token,
      environment: "development",
      connect_session_id: 1.4058728083872854e+38,
      account: { id: accountId, external_id: "whatever the body claims" },
    });
    const base = `${server.url}/webhooks/pipedream/connect`;
    const cases: Array<[string, string, unknown, number]> = [
      ["no secret", base, success(aliceToken, bobAccount), 404],
      ["a guessed secret", `${base}/${"A".repeat(43)}`, success(aliceToken, bobAccount), 401],
      ["a malformed secret", `${base}/..%2F..`, success(aliceToken, bobAccount), 401],
      ["alice's URL, bob's token", aliceUrl, success(bobToken, bobAccount), 401],
      ["alice's URL, another environment", aliceUrl, {
        ...success(aliceToken, bobAccount),
        environment: "production",
      }, 401],
      ["alice's URL, bob's account", aliceUrl, success(aliceToken, bobAccount), 200],
      ["alice's URL, no such account", aliceUrl, success(aliceToken, "apn_doesnotexist"), 200],
      ["alice's URL, not a Connect event", aliceUrl, { event: "SOMETHING", connect_token: aliceToken }, 400],
    ];
    for (const [name, url, body, status] of cases) {
      const res = await post(url, body);
      equal(res.status, status, `${name}: ${await res.text()}`);
    }
    equal(await connectRows(server), before);
    const log = server.logs.join("\n");
    ok(log.includes("the account belongs to another user"), log);
    ok(log.includes("connect_token is not the token this URL was minted with"), log);
    ok(log.includes("unknown or expired Connect webhook secret"), log);
    ok(!log.includes(aliceUrl.split("/").at(-1)!), "the secret is never logged");
  });
});
