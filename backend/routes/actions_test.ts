import { deepStrictEqual, equal, match, ok } from "node:assert/strict";
import { RunActionResponse, RunDetail, RunsResponse } from "../../shared/api.ts";
import { REDACTED } from "../../shared/redact.ts";
import { answer, connectAccount, TestBrowser, withServer } from "../testing/fixtures.ts";
import type { TestServer } from "../testing/harness.ts";

/** Connects Slack for the browser's user and runs slack-send-message through the app. */
async function sendSlackMessage(browser: TestBrowser, server: TestServer, text: string) {
  const slack = await connectAccount(browser, server, "slack");
  const run = await browser.json("/api/actions/run", {
    json: {
      actionId: "slack-send-message",
      configuredProps: { slack: { authProvisionId: slack }, channel: "C01GENERAL", text },
    },
  });
  equal(run.status, 200, JSON.stringify(run.body));
  return RunActionResponse.parse(run.body);
}

Deno.test("actions/run: runs for the session user, returns exports/ret/os, records the run", async () => {
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    const result = await sendSlackMessage(alice, server, "hello");
    match(result.runId, /^run_/);
    equal((result.ret as { ok: boolean }).ok, true);
    equal(result.exports.$summary, "Sent message to #general");
    ok(result.os.some((o) => o.msg === "Posted to #general"));

    const runs = RunsResponse.parse((await alice.json("/api/runs")).body).data;
    equal(runs.length, 1);
    equal(runs[0].componentKey, "slack-send-message");
    equal(runs[0].outcome, "success");
    deepStrictEqual(runs[0].configuredProps.channel, "C01GENERAL");
    deepStrictEqual((await new TestBrowser(server.url).json("/api/runs")).body, { data: [] });
  });
});

Deno.test("actions/run: reload props, secret props redacted in history, failures recorded with their message", async () => {
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    const crm = await connectAccount(alice, server, "acme_crm", { apiKey: "sbx_key_testkey123" });
    const ok1 = await alice.json<{ ret: { id: string } }>("/api/actions/run", {
      json: {
        actionId: "acme_crm-create-record",
        configuredProps: {
          acmeCrm: { authProvisionId: crm },
          recordType: "deal",
          title: "Big deal",
          amount: 5000,
          stage: "qualified",
          privateNote: "do not show",
        },
      },
    });
    equal(ok1.status, 200, JSON.stringify(ok1.body));
    match(ok1.body.ret.id, /^rec_/);
    // The component refuses the amount: Pipedream answers 200 with its error observation.
    const bad = await alice.json("/api/actions/run", {
      json: {
        actionId: "acme_crm-create-record",
        configuredProps: { acmeCrm: { authProvisionId: crm }, recordType: "deal", title: "x", amount: -5 },
      },
    });
    equal(bad.status, 200, JSON.stringify(bad.body));
    const refused = RunActionResponse.parse(bad.body);
    equal(refused.outcome, "error");
    match(refused.error ?? "", /amount/);
    ok(refused.os.some((o) => o.k === "error"));
    const runs = RunsResponse.parse((await alice.json("/api/runs")).body).data;
    deepStrictEqual(runs.map((r) => r.outcome).sort(), ["error", "success"]);
    const success = runs.find((r) => r.outcome === "success")!;
    equal(success.configuredProps.privateNote, REDACTED);
    const failed = runs.find((r) => r.outcome === "error")!;
    match(failed.error ?? "", /amount/);
  });
});

Deno.test("actions/run: another user's account in the props is refused and nothing runs", async () => {
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    const mallory = new TestBrowser(server.url);
    const aliceSlack = await connectAccount(alice, server, "slack");
    await mallory.startSession();
    const res = await mallory.json<{ error: { code: string } }>("/api/actions/run", {
      json: {
        actionId: "slack-send-message",
        configuredProps: { slack: { authProvisionId: aliceSlack }, channel: "C01GENERAL", text: "pwned" },
      },
    });
    equal(res.status, 404);
    equal(res.body.error.code, "not_found");
    deepStrictEqual((await mallory.json("/api/runs")).body, { data: [] });
    const msgs = await server.db.execute("SELECT COUNT(*) AS n FROM sandbox_slack_messages");
    equal(Number(msgs.rows[0].n), 0);
  });
});

Deno.test("actions/run: unknown action passes Pipedream's 404 through; runs are rate limited", async () => {
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    const missing = await alice.json<{ error: { code: string } }>("/api/actions/run", {
      json: { actionId: "nope-nothing", configuredProps: {} },
    });
    equal(missing.status, 404);
    const limited = await alice.fetch("/api/actions/run", {
      json: { actionId: "nope-nothing", configuredProps: {} },
    });
    equal(limited.status, 429);
    ok(Number(limited.headers.get("retry-after")) >= 1);
    await limited.body?.cancel();
  }, { limits: { actionRuns: { capacity: 1, perMinute: 1 } } });
});

Deno.test('actions/run: a run the sandbox answers as failed (200, k: "error") is recorded and shown as failed', async () => {
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    await answer(server, { component: "slack-send-message", answer: "failed", message: "channel_not_found" });
    const result = await sendSlackMessage(alice, server, "never sent");
    equal(result.outcome, "error");
    equal(result.error, "channel_not_found");
    deepStrictEqual(result.os.map((o) => o.k), ["error"]);
    const [recorded] = RunsResponse.parse((await alice.json("/api/runs")).body).data;
    equal(recorded.outcome, "error");
    equal(recorded.error, "channel_not_found");
  });
});

Deno.test("actions/run: 202 with no body is accepted, result pending, not an error", async () => {
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    await answer(server, { component: "slack-send-message", answer: "accepted", times: 1 });
    const result = await sendSlackMessage(alice, server, "later");
    equal(result.outcome, "pending");
    equal(result.error, undefined);
    deepStrictEqual([result.exports, result.ret, result.os], [{}, null, []]);
    const [recorded] = RunsResponse.parse((await alice.json("/api/runs")).body).data;
    equal(recorded.outcome, "pending");
    // Used once: the next run answers with its result.
    equal((await sendSlackMessage(alice, server, "now")).outcome, "success");
  });
});

Deno.test("runs/:id: a past run reopens with its result (secrets redacted); bad ids 400, others' 404", async () => {
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    const crm = await connectAccount(alice, server, "acme_crm", { apiKey: "sbx_key_testkey123" });
    const props = {
      acmeCrm: { authProvisionId: crm },
      recordType: "deal",
      title: "Reopened deal",
      amount: 7,
      stage: "lead",
      privateNote: "keep this out",
    };
    const ran = await alice.json<{ runId: string }>("/api/actions/run", {
      json: { actionId: "acme_crm-create-record", configuredProps: props },
    });
    equal(ran.status, 200);
    // A run that ran and failed (Pipedream answers it 200 with an error observation).
    const failed = await alice.json<{ outcome: string }>("/api/actions/run", {
      json: { actionId: "acme_crm-create-record", configuredProps: { ...props, amount: -1 } },
    });
    equal(failed.body.outcome, "error", JSON.stringify(failed.body));

    const again = await alice.json(`/api/runs/${ran.body.runId}`);
    equal(again.status, 200);
    const run = RunDetail.parse(again.body);
    equal(run.outcome, "success");
    match(String(run.result?.exports.$summary), /^Created deal rec_/);
    equal((run.result?.ret as { title: string }).title, "Reopened deal");
    equal(run.configuredProps.privateNote, REDACTED);
    equal(JSON.stringify(again.body).includes("keep this out"), false);

    const failedId = RunsResponse.parse((await alice.json("/api/runs")).body).data.find((r) =>
      r.outcome === "error"
    )!.id;
    const failure = RunDetail.parse((await alice.json(`/api/runs/${failedId}`)).body);
    match(failure.error ?? "", /amount/);
    // Its logs are kept with it: the error observation says what went wrong.
    ok(failure.result?.os.some((o) => o.k === "error"), JSON.stringify(failure.result));

    const mallory = new TestBrowser(server.url);
    const foreign = await mallory.json<{ error: { code: string } }>(`/api/runs/${ran.body.runId}`);
    equal(foreign.status, 404);
    equal(foreign.body.error.code, "not_found");
    for (const bad of ["nope", "run_", "run_ZZ", `${ran.body.runId}x`]) {
      equal(
        (await alice.fetch(`/api/runs/${bad}`).then(async (r) => (await r.body?.cancel(), r))).status,
        400,
        bad,
      );
    }
  });
});
