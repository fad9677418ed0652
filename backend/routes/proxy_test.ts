import { equal, match, ok } from "node:assert/strict";
import { ProxyResponse } from "../../shared/api.ts";
import { connectAccount, fault, TestBrowser, withServer } from "../testing/fixtures.ts";

Deno.test("proxy: calls the sandbox app's API with the owner's account; never for another user", async () => {
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    const sheets = await connectAccount(alice, server, "google_sheets");
    await alice.json("/api/actions/run", {
      json: {
        actionId: "google_sheets-add-single-row",
        configuredProps: {
          googleSheets: { authProvisionId: sheets },
          drive: "root",
          spreadsheet: "ss_contacts",
          worksheet: "ws_people",
          row: { Name: "Grace", Email: "grace@example.com" },
        },
      },
    });
    const res = await alice.fetch("/api/proxy", {
      json: {
        accountId: sheets,
        method: "GET",
        path: "https://sheets.googleapis.com/v4/spreadsheets/ss_contacts/values/ws_people",
      },
    });
    const text = await res.text();
    equal(res.status, 200, text);
    const out = ProxyResponse.parse(JSON.parse(text));
    equal(out.status, 200);
    const values = (out.body as { values: string[][] }).values;
    equal(values[1][0], "Grace");
    ok(!/sbx_at_|sbx_rt_|oauth_access_token/.test(text), "no credential in the proxied response");

    const notFound = ProxyResponse.parse(
      (await alice.json("/api/proxy", {
        json: { accountId: sheets, method: "GET", path: "https://sheets.googleapis.com/v4/nothing" },
      }))
        .body,
    );
    equal(notFound.status, 404);

    const mallory = new TestBrowser(server.url);
    const denied = await mallory.json<{ error: { code: string } }>("/api/proxy", {
      json: {
        accountId: sheets,
        method: "GET",
        path: "https://sheets.googleapis.com/v4/spreadsheets/ss_contacts/values/ws_people",
      },
    });
    equal(denied.status, 404);
    equal(denied.body.error.code, "not_found");
  });
});

Deno.test("proxy: headers the proxy refuses or HTTP cannot carry are a 400, not a 500", async () => {
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    const slack = await connectAccount(alice, server, "slack");
    const send = (headers: Record<string, string>) =>
      alice.json<{ error: { code: string; message: string } }>("/api/proxy", {
        json: { accountId: slack, method: "GET", path: "https://slack.com/api/auth.test", headers },
      });
    for (
      const [headers, message] of [
        [{ "x-note": "a\r\nSet-Cookie: x=1" }, /no CR, LF or NUL/],
        [{ "x-note": "nul\u0000" }, /no CR, LF or NUL/],
        [{ "x-note": "snowman ☃" }, /Latin-1/],
        [{ cookie: "a=1" }, /refuses the cookie header/],
        [{ "Sec-Fetch-Mode": "cors" }, /refuses the Sec-Fetch-Mode header/],
      ] as Array<[Record<string, string>, RegExp]>
    ) {
      const res = await send(headers);
      equal(res.status, 400, JSON.stringify(headers));
      match(res.body.error.message, message);
    }
    equal((await send({ "x-note": "café, ok" })).status, 200);
  });
});

Deno.test("proxy: the upstream status comes back; too large or too slow is a clear error", async () => {
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    const slack = await connectAccount(alice, server, "slack");
    const call = (path: string) =>
      alice.json<ProxyResponse & { error: { code: string; message: string } }>("/api/proxy", {
        json: { accountId: slack, method: "GET", path },
      });
    equal((await call("https://slack.com/api/nothing.here")).body.status, 404);
    // The channel list is larger than the 150-byte limit this server has.
    const big = await call("https://slack.com/api/conversations.list");
    equal(big.status, 502);
    equal(big.body.error.code, "upstream_response_too_large");
    match(big.body.error.message, /larger than 150 bytes/);
    // The app's own timeout: Pipedream itself is slow to answer.
    await fault(server, { match: "/proxy/", delayMs: 2500, times: 1 });
    const slow = await call("https://slack.com/api/auth.test");
    equal(slow.status, 504);
    equal(slow.body.error.code, "upstream_timeout");
  }, { maxProxyResponseBytes: 150, pipedreamTimeoutSeconds: 1 });
});

Deno.test("proxy: an app's slow API, ended by the Connect proxy with a 504, is the app's timeout error", async () => {
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    const slack = await connectAccount(alice, server, "slack");
    // Slack's API takes longer than the sandbox proxy's (shortened) limit.
    await fault(server, { upstream: "slack", delayMs: 1500, times: 1 });
    const slow = await alice.json<{ error: { code: string; message: string } }>("/api/proxy", {
      json: { accountId: slack, method: "GET", path: "https://slack.com/api/auth.test" },
    });
    equal(slow.status, 504, JSON.stringify(slow.body));
    equal(slow.body.error.code, "upstream_timeout");
    match(slow.body.error.message, /within 30 s, the Connect proxy's limit/);
    // Other failures of the app's API come back as its answer.
    await fault(server, { upstream: "slack", status: 503, times: 1 });
    const failing = await alice.json<ProxyResponse>("/api/proxy", {
      json: { accountId: slack, method: "GET", path: "https://slack.com/api/auth.test" },
    });
    equal(failing.status, 200);
    equal(failing.body.status, 503);
    // A path outside the app's allowed domains is refused by the proxy: shown as its answer too.
    const foreign = await alice.json<ProxyResponse>("/api/proxy", {
      json: { accountId: slack, method: "GET", path: "https://evil.example/steal" },
    });
    equal(foreign.body.status, 400);
    match(JSON.stringify(foreign.body.body), /domain not allowed for this app/);
  }, { sandboxProxyLimits: { timeoutMs: 300 } });
});

Deno.test("proxy: past Pipedream's proxy limit for the project, a 429 that says when to try again", async () => {
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    const slack = await connectAccount(alice, server, "slack");
    const call = () =>
      alice.json<ProxyResponse & { error?: { code: string; message: string } }>("/api/proxy", {
        json: { accountId: slack, method: "GET", path: "/auth.test" },
      });
    const first = await call();
    equal(first.status, 200, JSON.stringify(first.body));
    equal(first.body.status, 200, "a relative path works for a fixed-domain app");
    const second = await alice.fetch("/api/proxy", {
      json: { accountId: slack, method: "GET", path: "/auth.test" },
    });
    const body = await second.json();
    equal(second.status, 429, JSON.stringify(body));
    equal(body.error.code, "upstream_rate_limited");
    equal(second.headers.get("retry-after"), "300");
  }, { sandboxProxyLimits: { perWindow: 1 } });
});
