/**
 * Live mode is the same code: the app configured with real-looking
 * credentials and PIPEDREAM_API_HOST pointed at a standalone sandbox (as it
 * would be at api.pipedream.com) mounts no sandbox and serves the same API.
 */
import { deepStrictEqual, equal, match } from "node:assert/strict";
import { connectAccountViaSandbox, standaloneSandbox } from "./sandbox/testing.ts";
import { startLiveEnvironments, startLiveRuntime, TestBrowser } from "./testing/harness.ts";

Deno.test("live mode against an API host: same routes, no embedded sandbox", async () => {
  const upstream = await standaloneSandbox();
  const apiUrl = upstream.url;

  const runtime = await startLiveRuntime(apiUrl);
  equal(runtime.config.mode, "live");
  equal(runtime.sandbox, undefined);
  const url = runtime.url!;
  try {
    const browser = new TestBrowser(url);
    const session = await browser.json<{
      mode: string;
      pipedream: { baseUrl?: string; projectEnvironment: string };
    }>("/api/session");
    equal(session.body.mode, "live");
    equal(session.body.pipedream.projectEnvironment, "development", "the session says which environment");
    equal(session.body.pipedream.baseUrl, apiUrl);
    equal((await browser.fetch("/sandbox/v1/connect/apps")).status, 404, "no embedded sandbox in live mode");

    const token = await browser.json<{ token: string; connectLinkUrl: string }>("/api/connect/token", {
      json: {},
    });
    equal(token.status, 200);
    match(token.body.connectLinkUrl, new RegExp(`^${apiUrl}/_static/connect.html`));
    const { accountId } = await connectAccountViaSandbox(apiUrl, token.body.token, "slack");
    const accounts = await browser.json<{ data: Array<{ id: string }> }>("/api/accounts");
    deepStrictEqual(accounts.body.data.map((a) => a.id), [accountId]);
    const run = await browser.json<{ exports: { $summary: string } }>("/api/actions/run", {
      json: {
        actionId: "slack-send-message",
        configuredProps: { slack: { authProvisionId: accountId }, channel: "C02RANDOM", text: "live" },
      },
    });
    equal(run.status, 200);
    equal(run.body.exports.$summary, "Sent message to #random");

    // Pipedream has no API to make a trigger fire: the app says what does, instead of faking one.
    const deployed = await browser.json<{ id: string }>("/api/triggers", {
      json: {
        triggerId: "slack-new-message",
        configuredProps: { slack: { authProvisionId: accountId }, channel: "C02RANDOM" },
      },
    });
    equal(deployed.status, 201);
    const test = await browser.json<{ error: { code: string; message: string } }>(
      `/api/triggers/${deployed.body.id}/test-event`,
      { json: {} },
    );
    equal(test.status, 409);
    equal(test.body.error.code, "test_events_unsupported");
    match(test.body.error.message, /no API to send a test event/);

    const res = await fetch(`${url}/`);
    const csp = res.headers.get("content-security-policy") ?? "";
    await res.body?.cancel();
    match(csp, /frame-src 'self' https:\/\/pipedream\.com/);
  } finally {
    await runtime.close();
    await upstream.close();
  }
});

Deno.test("live mode with the wrong PIPEDREAM_PROJECT_ENVIRONMENT sees what live shows: no accounts", async () => {
  const live = await startLiveEnvironments();
  const { upstream, development, production } = live;
  try {
    const dev = new TestBrowser(development.url!);
    const token = await dev.json<{ token: string }>("/api/connect/token", { json: {} });
    const { accountId } = await connectAccountViaSandbox(upstream.url, token.body.token, "slack");
    const ids = async (b: TestBrowser) =>
      (await b.json<{ data: Array<{ id: string }> }>("/api/accounts")).body.data;
    deepStrictEqual((await ids(dev)).map((a) => a.id), [accountId]);

    const prod = new TestBrowser(production.url!);
    prod.cookie = dev.cookie;
    const session = await prod.json<{ externalUserId: string; pipedream: { projectEnvironment: string } }>(
      "/api/session",
    );
    equal(
      session.body.externalUserId,
      (await dev.json<{ externalUserId: string }>("/api/session")).body.externalUserId,
    );
    equal(session.body.pipedream.projectEnvironment, "production", "the session says which environment");
    deepStrictEqual(await ids(prod), [], "the same user has no accounts in the other environment");
    const run = await prod.json<{ error: { message: string } }>("/api/actions/run", {
      json: {
        actionId: "slack-send-message",
        configuredProps: { slack: { authProvisionId: accountId }, channel: "C01GENERAL", text: "wrong env" },
      },
    });
    equal(run.status, 404, JSON.stringify(run.body));
  } finally {
    await live.close();
  }
});
