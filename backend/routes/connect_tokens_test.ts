import { equal, match, notEqual } from "node:assert/strict";
import { ConnectTokenResponse, type SdkCall } from "../../shared/api.ts";
import { connectAccount, TestBrowser, withServer } from "../testing/fixtures.ts";
import { toBase64 } from "../../shared/encoding.ts";

Deno.test("connect token: minted for the session user, reused until asked fresh", async () => {
  await withServer(async (server) => {
    const browser = new TestBrowser(server.url);
    const first = await browser.json("/api/connect/token", { json: {} });
    equal(first.status, 200);
    const token = ConnectTokenResponse.parse(first.body);
    match(token.token, /^ctok_/);
    equal(Date.parse(token.expiresAt) > Date.now(), true);
    match(token.connectLinkUrl, new RegExp(`^${server.url}/sandbox/`));

    const again = ConnectTokenResponse.parse((await browser.json("/api/connect/token", { json: {} })).body);
    equal(again.token, token.token);
    const fresh = ConnectTokenResponse.parse(
      (await browser.json("/api/connect/token", { json: { fresh: true } })).body,
    );
    notEqual(fresh.token, token.token);

    const other = ConnectTokenResponse.parse(
      (await new TestBrowser(server.url).json("/api/connect/token", { json: {} })).body,
    );
    notEqual(other.token, fresh.token);
  });
});

Deno.test("connect token: bad bodies are 400 with a clear message", async () => {
  await withServer(async (server) => {
    const browser = new TestBrowser(server.url);
    const cases: Array<[string, number, string]> = [
      ["{", 400, "bad_json"],
      ['{"fresh":"yes"}', 400, "invalid_request"],
      ["[]", 400, "invalid_request"],
      ['{"externalUserId":"x"}', 400, "invalid_request"],
    ];
    for (const [body, status, code] of cases) {
      const res = await browser.json<{ error: { code: string; message: string } }>("/api/connect/token", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      equal(res.status, status, body);
      equal(res.body.error.code, code, body);
      equal(res.body.error.message.length > 0, true);
    }
  });
});

Deno.test("connect token: minting is rate limited per session with Retry-After", async () => {
  await withServer(async (server) => {
    const browser = new TestBrowser(server.url);
    for (let i = 0; i < 2; i++) equal((await browser.json("/api/connect/token", { json: {} })).status, 200);
    const limited = await browser.fetch("/api/connect/token", { json: {} });
    equal(limited.status, 429);
    match(limited.headers.get("retry-after") ?? "", /^\d+$/);
    await limited.body?.cancel();
    equal((await new TestBrowser(server.url).json("/api/connect/token", { json: {} })).status, 200);
  }, { limits: { connectTokens: { capacity: 2, perMinute: 1 } } });
});

/** What a user's browser can do with the token the app gives it, calling the sandbox directly. */
Deno.test("connect token: scoped to what the browser needs, not the server's operations", async () => {
  await withServer(async (server) => {
    const browser = new TestBrowser(server.url);
    const slack = await connectAccount(browser, server, "slack");
    const { body } = await browser.json<ConnectTokenResponse>("/api/connect/token", {
      json: { fresh: true },
    });
    const minted = (await browser.json<{ data: SdkCall[] }>("/api/sdk-calls")).body.data
      .find((c) => c.method === "POST" && c.path.endsWith("/tokens"));
    match(minted?.requestBody ?? "", /"scope":"connect:accounts:read connect:accounts:write"/);

    const direct = async (method: string, path: string, json?: unknown) => {
      const res = await fetch(`${server.url}/sandbox/v1/connect/${path}`, {
        method,
        headers: {
          authorization: `Bearer ${body.token}`,
          origin: server.url,
          ...(json ? { "content-type": "application/json" } : {}),
        },
        ...(json ? { body: JSON.stringify(json) } : {}),
      });
      return { status: res.status, body: await res.json().catch(() => undefined) };
    };
    const user = (await browser.json<{ externalUserId: string }>("/api/session")).body.externalUserId;
    const props = { slack: { authProvisionId: slack }, channel: "C01GENERAL" };
    // What connect-react and connectAccount call: allowed.
    for (
      const [method, path, json] of [
        ["GET", "apps?limit=50&q="],
        ["GET", "apps/slack"],
        ["GET", "components?app=slack&component_type=action&limit=50"],
        ["GET", "components/slack-send-message"],
        ["POST", "components/configure", {
          id: "slack-send-message",
          prop_name: "channel",
          configured_props: props,
        }],
        ["POST", "components/props", { id: "slack-send-message", configured_props: props }],
        ["GET", "accounts?app=slack"],
      ] as Array<[string, string, unknown?]>
    ) {
      equal((await direct(method, path, json)).status, 200, `${method} ${path}`);
    }
    // What only the app's server may do (its rate limits, trigger cap and run history): refused.
    const proxyUrl = encodeURIComponent(toBase64("https://slack.com/api/conversations.list"));
    for (
      const [method, path, json] of [
        ["POST", "actions/run", {
          id: "slack-send-message",
          external_user_id: user,
          configured_props: props,
        }],
        ["POST", "triggers/deploy", {
          id: "slack-new-message",
          external_user_id: user,
          configured_props: props,
        }],
        ["GET", `proxy/${proxyUrl}?external_user_id=${user}&account_id=${slack}`],
        ["DELETE", `users/${user}`],
        ["GET", `deployed-triggers?external_user_id=${user}`],
      ] as Array<[string, string, unknown?]>
    ) {
      const res = await direct(method, path, json);
      equal(res.status, 403, `${method} ${path}`);
      equal(
        typeof (res.body as { error?: unknown }).error,
        "string",
        `${method} ${path}: Pipedream's error shape`,
      );
    }
  });
});
