import { deepStrictEqual, equal, match } from "node:assert/strict";
import { DeployedTriggerView, EventsResponse, TriggersResponse } from "../../shared/api.ts";
import { eventually } from "../testing/eventually.ts";
import { connectAccount, TestBrowser, withServer } from "../testing/fixtures.ts";
import type { TestServer } from "../testing/harness.ts";
import { deliver, eventBody } from "../webhooks/testdata/deliver.ts";

Deno.test("triggers: deploy, receive the event through the signed webhook, list, delete (at Pipedream too)", async () => {
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    const bob = new TestBrowser(server.url);
    await bob.startSession();
    const slack = await connectAccount(alice, server, "slack");
    const deploy = await alice.json("/api/triggers", {
      json: {
        triggerId: "slack-new-message",
        configuredProps: { slack: { authProvisionId: slack }, channel: "C02RANDOM" },
      },
    });
    equal(deploy.status, 201, JSON.stringify(deploy.body));
    const t = DeployedTriggerView.parse(deploy.body);
    match(t.id, /^dc_/);
    equal(JSON.stringify(deploy.body).includes("sbx_sec_"), false, "the signing key stays on the server");
    deepStrictEqual(TriggersResponse.parse((await alice.json("/api/triggers")).body).data.map((x) => x.id), [
      t.id,
    ]);
    deepStrictEqual((await bob.json("/api/triggers")).body, { data: [] });

    await alice.json("/api/actions/run", {
      json: {
        actionId: "slack-send-message",
        configuredProps: { slack: { authProvisionId: slack }, channel: "C02RANDOM", text: "ping" },
      },
    });
    const events = await eventually(async () => {
      await server.sandbox.flushDeliveries();
      const page = EventsResponse.parse((await alice.json(`/api/events?trigger=${t.id}`)).body);
      return page.data.length > 0 && page.data;
    }, { what: "the event to arrive" });
    equal((events[0].event as { text: string }).text, "ping");
    deepStrictEqual((await bob.json("/api/events")).body, { data: [], nextCursor: null });

    // A signed delivery is taken (the deployment is now in the receiver's cache)…
    const { body: me } = await alice.json<{ externalUserId: string }>("/api/session");
    const stored = await server.db.execute({
      sql: "SELECT signing_key FROM deployed_triggers WHERE id = ?",
      args: [t.id],
    });
    const target = {
      deploymentId: t.id,
      externalUserId: me.externalUserId,
      key: String(stored.rows[0].signing_key),
    };
    equal((await deliver(server.url, target, eventBody("evt_before_delete"))).status, 200);

    equal((await bob.fetch(`/api/triggers/${t.id}`, { method: "DELETE" })).status, 404);
    equal((await alice.fetch(`/api/triggers/${t.id}`, { method: "DELETE" })).status, 204);
    // …and refused as soon as it is deleted, not when the cached copy expires.
    const late = await deliver(server.url, target, eventBody("evt_after_delete"));
    await late.body?.cancel();
    equal(late.status, 401);
    deepStrictEqual((await alice.json("/api/triggers")).body, { data: [] });
    const gone = await server.db.execute({
      sql: "SELECT deleted FROM sandbox_deployments WHERE id = ?",
      args: [t.id],
    });
    equal(Number(gone.rows[0].deleted), 1);
    // Events of a deleted deployment are no longer shown; later deliveries get 401 like any unknown one.
    deepStrictEqual((await alice.json(`/api/events?trigger=${t.id}`)).body, { data: [], nextCursor: null });
  });
});

/** Alice, with a Slack account, has deployed one trigger on it; `body` deploys another. */
async function aliceWithATrigger(server: TestServer) {
  const alice = new TestBrowser(server.url);
  const slack = await connectAccount(alice, server, "slack");
  const body = {
    triggerId: "slack-new-message",
    configuredProps: { slack: { authProvisionId: slack }, channel: "C01GENERAL" },
  };
  equal((await alice.json("/api/triggers", { json: body })).status, 201);
  return { alice, body };
}

Deno.test("triggers: the per-user cap answers 409; deploys with a foreign account are refused", async () => {
  await withServer(async (server) => {
    const { alice, body } = await aliceWithATrigger(server);
    const capped = await alice.json<{ error: { code: string } }>("/api/triggers", { json: body });
    equal(capped.status, 409);
    equal(capped.body.error.code, "trigger_limit");
    const mallory = new TestBrowser(server.url);
    const foreign = await mallory.json<{ error: { code: string } }>("/api/triggers", { json: body });
    equal(foreign.status, 404);
  }, { env: { MAX_TRIGGERS_PER_USER: "1" } });
});

Deno.test("triggers: deploys are rate limited per session with Retry-After", async () => {
  await withServer(async (server) => {
    const { alice, body } = await aliceWithATrigger(server);
    const limited = await alice.fetch("/api/triggers", { json: body });
    equal(limited.status, 429);
    match(limited.headers.get("retry-after") ?? "", /^\d+$/);
    await limited.body?.cancel();
    deepStrictEqual(TriggersResponse.parse((await alice.json("/api/triggers")).body).data.length, 1);
  }, { limits: { triggerDeploys: { capacity: 1, perMinute: 1 } } });
});

Deno.test("triggers/:id/test-event: the sandbox app emits a sample that arrives through the signed webhook", async () => {
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    const slack = await connectAccount(alice, server, "slack");
    const t = DeployedTriggerView.parse(
      (await alice.json("/api/triggers", {
        json: {
          triggerId: "slack-new-message",
          configuredProps: {
            slack: { authProvisionId: slack },
            channel: { __lv: { label: "#random", value: "C02RANDOM" } },
          },
        },
      })).body,
    );
    const sent = await alice.json<{ message: string }>(`/api/triggers/${t.id}/test-event`, { json: {} });
    equal(sent.status, 202, JSON.stringify(sent.body));
    match(sent.body.message, /Test event/);
    const events = await eventually(async () => {
      await server.sandbox.flushDeliveries();
      const page = EventsResponse.parse((await alice.json(`/api/events?trigger=${t.id}`)).body);
      return page.data.length > 0 && page.data;
    }, { what: "the test event" });
    const sample = events[0].event as { channel: string; channel_name: string; text: string };
    equal(sample.channel, "C02RANDOM");
    equal(sample.channel_name, "random");
    match(sample.text, /Test event/);

    // Another user's trigger, a malformed id, a body with fields: as if missing, and refused.
    const mallory = new TestBrowser(server.url);
    const foreign = await mallory.json<{ error: { code: string } }>(`/api/triggers/${t.id}/test-event`, {
      json: {},
    });
    equal(foreign.status, 404);
    equal(foreign.body.error.code, "not_found");
    equal((await alice.json(`/api/triggers/not-an-id/test-event`, { json: {} })).status, 400);
    equal((await alice.json(`/api/triggers/${t.id}/test-event`, { json: { event: {} } })).status, 400);
    equal((await alice.json(`/api/triggers/dc_missing123/test-event`, { json: {} })).status, 404);
  });
});
