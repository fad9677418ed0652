/**
 * Isolation: every route that takes an id, tried by another user with the
 * first user's ids, answers as if the id did not exist, and nothing changes.
 */
import { deepStrictEqual, equal } from "node:assert/strict";
import { connectAccount, TestBrowser, withServer } from "../testing/fixtures.ts";
import { recordCases } from "./summary.ts";

Deno.test("another user's ids: every route answers as if they did not exist, and nothing changes", async () => {
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    const mallory = new TestBrowser(server.url);
    await mallory.json("/api/session");
    const slack = await connectAccount(alice, server, "slack");
    const sheets = await connectAccount(alice, server, "google_sheets");
    const deployed = await alice.json<{ id: string }>("/api/triggers", {
      json: {
        triggerId: "slack-new-message",
        configuredProps: { slack: { authProvisionId: slack }, channel: "C01GENERAL" },
      },
    });
    await alice.json("/api/actions/run", {
      json: {
        actionId: "slack-send-message",
        configuredProps: { slack: { authProvisionId: slack }, channel: "C01GENERAL", text: "mine" },
      },
    });
    await server.sandbox.flushDeliveries();
    const snapshot = async () => ({
      accounts: (await alice.json("/api/accounts")).body,
      triggers: (await alice.json("/api/triggers")).body,
      runs: (await alice.json<{ data: unknown[] }>("/api/runs")).body.data.length,
      messages: Number(
        (await server.db.execute("SELECT COUNT(*) AS n FROM sandbox_slack_messages")).rows[0].n,
      ),
    });
    const before = await snapshot();

    const attempts: Array<[string, string, unknown?]> = [
      ["GET", `/api/accounts/${slack}`],
      ["GET", `/api/accounts/${sheets}`],
      ["DELETE", `/api/accounts/${slack}`],
      ["DELETE", `/api/accounts/${sheets}`],
      ["DELETE", `/api/triggers/${deployed.body.id}`],
      ["POST", "/api/proxy", {
        accountId: slack,
        method: "GET",
        path: "/conversations.history?channel=C01GENERAL",
      }],
      ["POST", "/api/proxy", { accountId: sheets, method: "GET", path: "/v4/spreadsheets" }],
      ["POST", "/api/actions/run", {
        actionId: "slack-send-message",
        configuredProps: { slack: { authProvisionId: slack }, channel: "C01GENERAL", text: "x" },
      }],
      ["POST", "/api/triggers", {
        triggerId: "slack-new-message",
        configuredProps: { slack: { authProvisionId: slack }, channel: "C01GENERAL" },
      }],
    ];
    for (const [method, path, json] of attempts) {
      const res = await mallory.json<{ error: { code: string } }>(path, {
        method,
        ...(json ? { json } : {}),
      });
      equal(res.status, 404, `${method} ${path}`);
      equal(res.body.error.code, "not_found", `${method} ${path}`);
    }
    // Lists filtered by another user's ids are simply empty.
    const lists = [
      `/api/events?trigger=${deployed.body.id}`,
      "/api/events",
      "/api/runs",
      "/api/triggers",
      "/api/accounts",
    ];
    for (const path of lists) {
      const res = await mallory.json<{ data: unknown[] }>(path);
      equal(res.status, 200, path);
      deepStrictEqual(res.body.data, [], path);
    }
    deepStrictEqual(await snapshot(), before);
    // Mallory's own SDK call log holds her calls only, none of Alice's.
    const aliceId = (await alice.json<{ externalUserId: string }>("/api/session")).body.externalUserId;
    const log = await mallory.fetch("/api/sdk-calls");
    equal((await log.text()).includes(aliceId), false);
    recordCases("isolation", attempts.length + lists.length);
  });
});
