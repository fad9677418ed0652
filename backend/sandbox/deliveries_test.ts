/**
 * What the sandbox sends, seen from the receiving end: trigger deliveries in
 * the live format (bare event, x-pd-* headers, t=,v1= signature with the
 * deployment's key, its environment), one attempt by default, and the
 * delivery faults (drop, duplicate, retry) doing what they say.
 */
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { loadConfig } from "../config.ts";
import { PD_HEADER, readDeliveryContext, verifySignature } from "../lib/webhook_format.ts";
import { createPipedreamClient } from "../pipedream/client.ts";
import { SANDBOX_CREDENTIALS } from "./credentials.ts";
import type { Sandbox } from "./mod.ts";
import { connectAccountViaSandbox, standaloneSandbox } from "./testing.ts";

type Received = { headers: Headers; body: string };

async function withDeployment(
  fn: (ctx: {
    emit: (text: string) => Promise<void>;
    received: Received[];
    answer: (status: number) => void;
    key: string;
    id: string;
    user: string;
    sandbox: Sandbox;
  }) => Promise<void>,
) {
  const api = await standaloneSandbox({ deliveryRetryDelaysMs: [10, 10] });
  const sandbox = api.sandbox;
  const received: Received[] = [];
  let status = 200;
  const receiver = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    received.push({ headers: req.headers, body: await req.text() });
    return new Response(null, { status });
  });
  try {
    const pd = createPipedreamClient({
      config: loadConfig({
        PIPEDREAM_CLIENT_ID: SANDBOX_CREDENTIALS.clientId,
        PIPEDREAM_CLIENT_SECRET: SANDBOX_CREDENTIALS.clientSecret,
        PIPEDREAM_PROJECT_ID: SANDBOX_CREDENTIALS.projectId,
        PIPEDREAM_PROJECT_ENVIRONMENT: "production",
        PIPEDREAM_API_HOST: api.url,
        APP_URL: "https://app.example",
      }),
    });
    const user = "deliveries-test-user";
    const { token } = await pd.tokens.create({ externalUserId: user });
    const { accountId } = await connectAccountViaSandbox(api.url, token, "slack");
    const slack = { authProvisionId: accountId };
    const { data } = await pd.triggers.deploy({
      id: "slack-new-message",
      externalUserId: user,
      configuredProps: { slack, channel: "C01GENERAL" },
      webhookUrl: `http://127.0.0.1:${receiver.addr.port}/hook`,
    });
    const key = "webhookSigningKey" in data ? String(data.webhookSigningKey) : "";
    ok(key, "an OAuth deploy with a webhook URL returns the signing key");
    const emit = async (text: string) => {
      await pd.actions.run({
        id: "slack-send-message",
        externalUserId: user,
        configuredProps: { slack, channel: "C01GENERAL", text },
      });
      for (let i = 0; i < 5; i++) {
        await sandbox.flushDeliveries();
        await new Promise((r) => setTimeout(r, 15));
      }
    };
    await fn({ emit, received, answer: (s) => (status = s), key, id: data.id, user, sandbox });
  } finally {
    await receiver.shutdown();
    await api.close();
  }
}

Deno.test("a trigger delivery: the bare event, who it is from and for, signed with the deployment's key", async () => {
  await withDeployment(async ({ emit, received, key, id, user }) => {
    await emit("hello");
    equal(received.length, 1);
    const { headers, body } = received[0];
    equal(headers.get("content-type"), "application/json");
    deepStrictEqual(readDeliveryContext(headers), {
      emitterId: id,
      externalUserId: user,
      projectId: SANDBOX_CREDENTIALS.projectId,
      environment: "production",
    });
    const event = JSON.parse(body);
    equal(event.text, "hello");
    equal("metadata" in event || "event" in event, false, "no envelope");
    ok((await verifySignature(key, headers, new TextEncoder().encode(body), Date.now())).ok);
    ok(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(headers.get(PD_HEADER.timestamp) ?? ""));
  });
});

Deno.test("one attempt by default; drop, duplicate and retry faults do what they say", async () => {
  await withDeployment(async ({ emit, received, answer, sandbox }) => {
    answer(500);
    await emit("failed once");
    equal(received.length, 1, "a failed delivery is not retried");

    answer(200);
    sandbox.faults.add({ delivery: "drop", times: 1 });
    await emit("dropped");
    equal(received.length, 1, "a dropped delivery is not sent");

    sandbox.faults.add({ delivery: "duplicate", times: 1 });
    await emit("twice");
    equal(received.length, 3);
    deepStrictEqual(
      [received[1].body, received[1].headers.get(PD_HEADER.signature)],
      [received[2].body, received[2].headers.get(PD_HEADER.signature)],
      "a duplicate is byte for byte the same request",
    );

    answer(503);
    sandbox.faults.add({ delivery: "retry", times: 1 });
    await emit("retried");
    equal(received.length, 6, "one attempt and two retries");
    equal(new Set(received.slice(3).map((r) => r.headers.get(PD_HEADER.signature))).size, 1);
  });
});
