import { deepStrictEqual, equal, match, notEqual, ok } from "node:assert/strict";
import { SessionResponse, SessionState } from "../../shared/api.ts";
import { sandboxAccessToken } from "../sandbox/testing.ts";
import { connectAccount, countAllRows, TestBrowser, withServer } from "../testing/fixtures.ts";

Deno.test("GET /api/session says who the browser is, and never creates a session; POST starts one", async () => {
  await withServer(async (server) => {
    const browser = new TestBrowser(server.url);
    const before = await countAllRows(server);
    const anonymous = await browser.json("/api/session");
    equal(anonymous.status, 200);
    const state = SessionState.parse(anonymous.body);
    equal(state.externalUserId, null);
    equal(state.pipedream.baseUrl, `${server.url}/sandbox`);
    equal(browser.cookie, "");
    deepStrictEqual(await countAllRows(server), before, "a plain GET wrote nothing");

    const started = await browser.json("/api/session", { json: {} });
    equal(started.status, 200);
    const session = SessionResponse.parse(started.body);
    match(session.externalUserId, /^u_/);
    equal(session.mode, "sandbox");
    match(browser.cookie, /^pdc_session=/);
    const again = SessionResponse.parse((await browser.json("/api/session", { json: {} })).body);
    equal(again.externalUserId, session.externalUserId, "starting twice keeps the session");
    equal(
      SessionState.parse((await browser.json("/api/session")).body).externalUserId,
      session.externalUserId,
    );

    const other = await new TestBrowser(server.url).startSession();
    notEqual(other, session.externalUserId);
  });
});

Deno.test("without a session, the API answers 401 and writes nothing; the page renders without one", async () => {
  await withServer(async (server) => {
    const anonymous = new TestBrowser(server.url, { session: false });
    const before = await countAllRows(server);
    for (const path of ["/api/accounts", "/api/runs", "/api/triggers", "/api/events", "/api/sdk-calls"]) {
      const res = await anonymous.json<{ error: { code: string } }>(path);
      equal(res.status, 401, path);
      equal(res.body.error.code, "unauthenticated");
    }
    const run = await anonymous.json<{ error: { code: string } }>("/api/actions/run", {
      json: { actionId: "slack-send-message", configuredProps: {} },
    });
    equal(run.status, 401);
    const page = await anonymous.fetch("/");
    const html = await page.text();
    equal(page.status, 200);
    match(html, /"externalUserId":null/);
    equal(page.headers.get("set-cookie"), null);
    deepStrictEqual(await countAllRows(server), before, "no row for any of these");
  });
});

Deno.test("a forged or tampered cookie proves nothing: no identity, never the claimed one", async () => {
  await withServer(async (server) => {
    const victim = new TestBrowser(server.url);
    const victimId = await victim.startSession();
    for (
      const cookie of [
        `pdc_session=${victimId}`,
        `pdc_session=${victimId}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`,
        victim.cookie.slice(0, -2),
      ]
    ) {
      const attacker = new TestBrowser(server.url);
      attacker.cookie = cookie;
      const res = await attacker.json<{ externalUserId: string | null }>("/api/session");
      equal(res.status, 200);
      equal(res.body.externalUserId, null);
      const started = await attacker.startSession();
      notEqual(started, victimId);
    }
  });
});

Deno.test("new identities are limited per client address, so throwaway sessions do not reset every limit", async () => {
  await withServer(async (server) => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await new TestBrowser(server.url).json("/api/session", { json: {} })).status);
    }
    deepStrictEqual(statuses, [200, 200, 200, 429, 429]);
    const limited = await new TestBrowser(server.url).fetch("/api/session", { json: {} });
    ok(Number(limited.headers.get("retry-after")) >= 1);
    await limited.body?.cancel();
  }, { limits: { perAddress: { newSessions: { capacity: 3, perMinute: 1 } } } });
});

Deno.test("the browser cannot choose its user id through the API", async () => {
  await withServer(async (server) => {
    const browser = new TestBrowser(server.url);
    const res = await browser.json<{ error: { code: string } }>("/api/connect/token", {
      json: { externalUserId: "someone-else" },
    });
    equal(res.status, 400);
    equal(res.body.error.code, "invalid_request");
  });
});

Deno.test("Forget me: accounts and data go at Pipedream and here, the old session dies, a fresh identity starts", async () => {
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    const aliceId = await alice.startSession();
    const slack = await connectAccount(alice, server, "slack");
    const deployed = await alice.json<{ id: string }>("/api/triggers", {
      json: {
        triggerId: "slack-new-message",
        configuredProps: { slack: { authProvisionId: slack }, channel: "C01GENERAL" },
      },
    });
    equal(deployed.status, 201);
    const ran = await alice.json("/api/actions/run", {
      json: {
        actionId: "slack-send-message",
        configuredProps: { slack: { authProvisionId: slack }, channel: "C01GENERAL", text: "bye" },
      },
    });
    equal(ran.status, 200);
    const bob = new TestBrowser(server.url);
    const bobSlack = await connectAccount(bob, server, "slack");
    const oldCookie = alice.cookie;

    const unconfirmed = await alice.json<{ error: { code: string } }>("/api/session/forget", { json: {} });
    equal(unconfirmed.status, 400, "it needs { confirm: true }");
    const forgot = await alice.json("/api/session/forget", { json: { confirm: true } });
    equal(forgot.status, 200);
    const fresh = SessionResponse.parse(forgot.body).externalUserId;
    notEqual(fresh, aliceId);
    notEqual(alice.cookie, oldCookie);

    // At Pipedream (the sandbox): the user's accounts and deployments are gone.
    const token = await sandboxAccessToken(`${server.url}/sandbox`);
    const listed = await fetch(
      `${server.url}/sandbox/v1/connect/proj_sandbox/accounts?external_user_id=${aliceId}`,
      { headers: { authorization: `Bearer ${token}`, "x-pd-environment": "development" } },
    );
    equal((await listed.json()).data.length, 0);
    const deployments = await server.db.execute({
      sql: "SELECT COUNT(*) AS n FROM sandbox_deployments WHERE external_user_id = ? AND deleted = 0",
      args: [aliceId],
    });
    equal(Number(deployments.rows[0].n), 0);
    // Here: nothing of hers is left in any table.
    for (const table of ["action_runs", "deployed_triggers", "sdk_calls", "connect_tokens", "sessions"]) {
      const rs = await server.db.execute({
        sql: `SELECT COUNT(*) AS n FROM ${table} WHERE external_user_id = ?`,
        args: [aliceId],
      });
      equal(Number(rs.rows[0].n), 0, table);
    }
    // Her old cookie is dead; the new identity starts empty; Bob is untouched.
    const stale = new TestBrowser(server.url, { session: false });
    stale.cookie = oldCookie;
    equal(SessionState.parse((await stale.json("/api/session")).body).externalUserId, null);
    deepStrictEqual((await alice.json<{ data: unknown[] }>("/api/accounts")).body.data, []);
    deepStrictEqual(
      (await bob.json<{ data: Array<{ id: string }> }>("/api/accounts")).body.data.map((a) => a.id),
      [bobSlack],
    );
  });
});

Deno.test("unknown API routes answer JSON 404", async () => {
  await withServer(async (server) => {
    const res = await new TestBrowser(server.url).json<{ error: { code: string } }>("/api/nope");
    equal(res.status, 404);
    equal(res.body.error.code, "not_found");
  });
});
