import { equal, match, notEqual } from "node:assert/strict";
import { ConnectTokenResponse } from "../../shared/api.ts";
import { TestBrowser, withServer } from "../testing/fixtures.ts";

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
