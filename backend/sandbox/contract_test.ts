/**
 * The sandbox's wire contract: every route's raw response parses with the
 * SDK's own serialization schemas (the SDK skips validation itself), and the
 * real SDK drives each route, server and browser clients alike.
 */
import { equal, match, ok, rejects } from "node:assert/strict";
import { PipedreamClient } from "@pipedream/sdk";
import { createFrontendClient } from "@pipedream/sdk/browser";
import * as s from "@pipedream/sdk/serialization";
import { ManualClock } from "../lib/clock.ts";
import { SANDBOX_CREDENTIALS } from "./credentials.ts";
import { connectAccountViaSandbox, sandboxAccessToken, standaloneSandbox } from "./testing.ts";

type Schema = { parseOrThrow(v: unknown, o?: Record<string, unknown>): unknown };
const strict = {
  unrecognizedObjectKeys: "passthrough",
  allowUnrecognizedUnionMembers: false,
  skipValidation: false,
};

async function withSandbox(
  fn: (
    ctx: {
      url: string;
      clock: ManualClock;
      pd: PipedreamClient;
      raw: (
        method: string,
        path: string,
        body?: unknown,
        token?: string,
      ) => Promise<{ status: number; json: unknown }>;
    },
  ) => Promise<void>,
) {
  const clock = new ManualClock(Date.now());
  const standalone = await standaloneSandbox({ clock, deliveryRetryDelaysMs: [10] });
  const url = standalone.url;
  const pd = new PipedreamClient({
    projectId: SANDBOX_CREDENTIALS.projectId,
    clientId: SANDBOX_CREDENTIALS.clientId,
    clientSecret: SANDBOX_CREDENTIALS.clientSecret,
    baseUrl: url,
    projectEnvironment: "development",
  });
  const accessToken = await sandboxAccessToken(url);
  const raw = async (method: string, path: string, body?: unknown, token = accessToken) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        // The server SDK sends its environment; a Connect token carries its own.
        ...(token.startsWith("ctok_") ? {} : { "x-pd-environment": "development" }),
      },
      // A string is sent as it is (raw text), anything else as JSON.
      ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  };
  try {
    await fn({ url, clock, pd, raw });
  } finally {
    await standalone.close();
  }
}

const P = `/v1/connect/${SANDBOX_CREDENTIALS.projectId}`;

Deno.test("every route's response parses with the SDK's serialization schemas", async () => {
  await withSandbox(async ({ url, pd, raw }) => {
    const check = async (schema: Schema, method: string, path: string, body?: unknown, token?: string) => {
      const r = await raw(method, path, body, token);
      ok(r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(r.json)}`);
      schema.parseOrThrow(r.json, strict);
      return r.json as Record<string, unknown>;
    };
    const user = "contract-user";
    const tok = await check(s.CreateTokenResponse, "POST", `${P}/tokens`, {
      external_user_id: user,
      allowed_origins: ["http://localhost"],
    });
    await check(s.ValidateTokenResponse, "GET", `/v1/connect/tokens/${tok.token}/validate?app_id=slack`);
    const slack = (await connectAccountViaSandbox(url, String(tok.token), "slack")).accountId!;
    const tok2 = await check(s.CreateTokenResponse, "POST", `${P}/tokens`, { external_user_id: user });
    const sheets = (await connectAccountViaSandbox(url, String(tok2.token), "google_sheets")).accountId!;
    await check(s.ListAccountsResponse, "GET", `${P}/accounts?external_user_id=${user}`);
    await check(s.Account, "GET", `${P}/accounts/${slack}?include_credentials=true`);
    await check(s.ListAppsResponse, "GET", `/v1/connect/apps?q=sla`);
    await check(s.GetAppResponse, "GET", `/v1/connect/apps/google_sheets`);
    for (const kind of ["components", "actions", "triggers"]) {
      await check(s.GetComponentsResponse, "GET", `${P}/${kind}?app=slack`);
    }
    await check(s.GetComponentResponse, "GET", `${P}/components/google_sheets-add-single-row`);
    await check(s.GetComponentResponse, "GET", `${P}/components/acme_crm-create-record`);
    await check(s.GetComponentResponse, "GET", `${P}/triggers/acme_crm-new-record`);
    const opts = await check(s.ConfigurePropResponse, "POST", `${P}/components/configure`, {
      id: "google_sheets-add-single-row",
      external_user_id: user,
      prop_name: "spreadsheet",
      configured_props: {
        googleSheets: { authProvisionId: sheets },
        drive: { __lv: { label: "My Drive", value: "root" } },
      },
    });
    match(JSON.stringify(opts.options), /Sales pipeline 2026/);
    const reload = await check(s.ReloadPropsResponse, "POST", `${P}/actions/props`, {
      id: "acme_crm-create-record",
      external_user_id: user,
      configured_props: { recordType: "deal" },
    });
    match(
      JSON.stringify((reload.dynamicProps as { configurableProps: unknown }).configurableProps),
      /"amount"/,
    );
    await check(s.RunActionResponse, "POST", `${P}/actions/run`, {
      id: "slack-send-message",
      external_user_id: user,
      configured_props: { slack: { authProvisionId: slack }, channel: "C01GENERAL", text: "contract" },
    });
    const deployed = await check(s.DeployTriggerResponse, "POST", `${P}/triggers/deploy`, {
      id: "slack-new-message",
      external_user_id: user,
      configured_props: { slack: { authProvisionId: slack }, channel: "C01GENERAL" },
      webhook_url: "http://127.0.0.1:9/hook",
    });
    const dc = (deployed.data as { id: string }).id;
    await check(s.GetTriggersResponse, "GET", `${P}/deployed-triggers?external_user_id=${user}`);
    await check(s.GetTriggerResponse, "GET", `${P}/deployed-triggers/${dc}?external_user_id=${user}`);
    await check(s.GetTriggerResponse, "PUT", `${P}/deployed-triggers/${dc}?external_user_id=${user}`, {
      active: false,
    });
    await check(
      s.GetTriggerWebhooksResponse,
      "GET",
      `${P}/deployed-triggers/${dc}/webhooks?external_user_id=${user}`,
    );
    await check(s.GetWebhookResponse, "GET", `${P}/webhook`);
    // No project webhook is set: there is no key to regenerate.
    const noWebhook = await raw("POST", `${P}/webhook/regenerate_signing_key`);
    equal(noWebhook.status, 404);
    match((noWebhook.json as { error: string }).error, /No webhook is set for the development environment/);
    await check(s.CreateOAuthTokenResponse, "POST", `/v1/oauth/token`, {
      grant_type: "client_credentials",
      client_id: SANDBOX_CREDENTIALS.clientId,
      client_secret: SANDBOX_CREDENTIALS.clientSecret,
    });

    // And through the SDK itself, including events after a message.
    await pd.actions.run({
      id: "slack-send-message",
      externalUserId: user,
      configuredProps: { slack: { authProvisionId: slack }, channel: "C01GENERAL", text: "x" },
    });
    await pd.deployedTriggers.update(dc, { externalUserId: user, active: true });
    await pd.actions.run({
      id: "slack-send-message",
      externalUserId: user,
      configuredProps: { slack: { authProvisionId: slack }, channel: "C01GENERAL", text: "y" },
    });
    const events = await check(
      s.GetTriggerEventsResponse,
      "GET",
      `${P}/deployed-triggers/${dc}/events?external_user_id=${user}`,
    );
    equal((events.data as unknown[]).length, 1, "only the message sent while active");
    const proxied = await pd.proxy.get({
      url: "https://slack.com/api/conversations.history?channel=C01GENERAL",
      externalUserId: user,
      accountId: slack,
    });
    equal((proxied as { messages: unknown[] }).messages.length, 3);
    await pd.deployedTriggers.delete(dc, { externalUserId: user });
    await pd.users.deleteExternalUser(user);
    equal((await pd.accounts.list({ externalUserId: user })).data.length, 0);
  });
});

Deno.test("auth, token expiry, cross-user denial and bad input", async () => {
  await withSandbox(async ({ url, clock, pd, raw }) => {
    const bad = new PipedreamClient({
      projectId: SANDBOX_CREDENTIALS.projectId,
      clientId: "x",
      clientSecret: "y",
      baseUrl: url,
      projectEnvironment: "development",
    });
    await rejects(bad.apps.retrieve("slack"), (e: { statusCode?: number }) => e.statusCode === 401);

    const alice = await pd.tokens.create({ externalUserId: "alice", allowedOrigins: ["http://app.local"] });
    const aliceAccount = (await connectAccountViaSandbox(url, alice.token, "slack")).accountId!;
    const bob = await pd.tokens.create({ externalUserId: "bob" });
    // A browser client for Bob sees only Bob's accounts, and none of Alice's by id.
    const browser = createFrontendClient({
      externalUserId: "bob",
      baseUrl: url,
      tokenCallback: () => Promise.resolve(bob),
    });
    equal((await browser.accounts.list({})).data.length, 0);
    equal((await raw("GET", `/v1/connect/accounts/${aliceAccount}`, undefined, bob.token)).status, 404);
    // Bob's token acts for Bob whatever it names: Alice's account does not exist for him.
    const crossUser = await raw("POST", `/v1/connect/actions/run`, {
      id: "slack-send-message",
      external_user_id: "alice",
      configured_props: { slack: { authProvisionId: aliceAccount }, channel: "C01GENERAL", text: "x" },
    }, bob.token);
    equal(crossUser.status, 400);
    match((crossUser.json as { error: string }).error, /not found/);
    // A token scoped to accounts cannot run actions; a server call must name its environment.
    const narrow = await pd.tokens.create({ externalUserId: "bob", scope: "connect:accounts:read" });
    const refused = await raw("POST", `/v1/connect/actions/run`, { id: "slack-send-message" }, narrow.token);
    equal(refused.status, 403);
    equal((refused.json as { code: string }).code, "insufficient_scope");
    const noEnv = await fetch(`${url}${P}/accounts`, {
      headers: { authorization: `Bearer ${await sandboxAccessToken(url)}` },
    });
    equal(noEnv.status, 400);
    match((await noEnv.json()).error, /x-pd-environment/);
    equal((await raw("GET", `/v1/connect/apps`, undefined, bob.token)).status, 200);
    // Spent tokens cannot connect again; allowed origins are enforced.
    equal(
      (await connectAccountViaSandbox(url, alice.token, "slack")).error,
      "This connect token was already used",
    );
    const res = await fetch(`${url}/v1/connect/accounts`, {
      headers: { authorization: `Bearer ${alice.token}`, origin: "https://evil.example" },
    });
    equal(res.status, 403);
    await res.body?.cancel();
    // Bad input answers 400 with Pipedream's error shape.
    for (
      const body of [
        {},
        { external_user_id: 5 },
        { external_user_id: "x", expires_in: 14_401 },
        { external_user_id: "x", scope: "*" },
      ]
    ) {
      const r = await raw("POST", `${P}/tokens`, body);
      equal(r.status, 400, JSON.stringify(body));
      ok(typeof (r.json as { error: string }).error === "string");
    }
    // An empty body counts as `{}`; text that is not JSON is named as such.
    const empty = await raw("POST", `${P}/tokens`, "");
    equal(empty.status, 400);
    match((empty.json as { error: string }).error, /^external_user_id: /);
    const notJson = await raw("POST", `${P}/tokens`, "{not json");
    equal(notJson.status, 400);
    equal((notJson.json as { error: string }).error, "Request body is not valid JSON");
    equal((await raw("GET", `/v1/connect/proj_other/accounts`)).status, 404);
    // Expiry.
    clock.advance(5 * 60 * 60 * 1000);
    equal((await raw("GET", `/v1/connect/apps`, undefined, bob.token)).status, 401);
  });
});

Deno.test("shapes as live: app ids or slugs, deployments named like live, keys only on deploy", async () => {
  await withSandbox(async ({ url, clock, pd, raw }) => {
    const tok = await pd.tokens.create({ externalUserId: "shape" });
    const slack = (await connectAccountViaSandbox(url, tok.token, "slack")).accountId!;
    equal(
      ((await raw("GET", `/v1/connect/apps/app_sbx_slack`)).json as { data: { name_slug: string } }).data
        .name_slug,
      "slack",
    );
    const byId = await raw("GET", `${P}/accounts?external_user_id=shape&app=app_sbx_slack`);
    equal((byId.json as { data: unknown[] }).data.length, 1);
    const deployed = await raw("POST", `${P}/triggers/deploy`, {
      id: "slack-new-message",
      external_user_id: "shape",
      configured_props: { slack: { authProvisionId: slack }, channel: "C01GENERAL" },
      webhook_url: "https://hooks.example/x",
    });
    const d = (deployed.json as { data: Record<string, unknown> }).data;
    match(String(d.webhook_signing_key), /^sbx_sec_/);
    equal(d.name, "pipedream-connect (sandbox) - exu_shape");
    equal(d.created_at, clock.now(), "epoch milliseconds");
    const read = await raw("GET", `${P}/deployed-triggers/${d.id}?external_user_id=shape`);
    equal((read.json as { data: Record<string, unknown> }).data.webhook_signing_key, null);
  });
});

Deno.test("connecting an account needs connect:accounts:write in the token's scope", async () => {
  await withSandbox(async ({ url, pd }) => {
    const readOnly = await pd.tokens.create({ externalUserId: "scoped", scope: "connect:accounts:read" });
    match((await connectAccountViaSandbox(url, readOnly.token, "slack")).error ?? "", /scope/);
    const writer = await pd.tokens.create({ externalUserId: "scoped", scope: "connect:accounts:write" });
    ok((await connectAccountViaSandbox(url, writer.token, "slack")).accountId);
  });
});
