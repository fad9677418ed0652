/**
 * The answer switches: set by the server only, checked when set, applied to
 * the calls they name and as many times as asked.
 */
import { deepStrictEqual, equal, match } from "node:assert/strict";
import {
  connectAccountViaSandbox,
  sandboxAccessToken,
  sandboxServerClient,
  standaloneSandbox,
} from "./testing.ts";

Deno.test("answer switches: server only, validated, and applied to the calls they name", async () => {
  const sbx = await standaloneSandbox();
  try {
    const pd = sandboxServerClient(sbx.url, "development");
    const oauth = await sandboxAccessToken(sbx.url);
    const ctok = (await pd.tokens.create({ externalUserId: "ann" })).token;
    const admin = (method: string, body: unknown, token = oauth) =>
      fetch(`${sbx.url}/admin/answers`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }).then(async (r) => ({ status: r.status, body: r.status === 204 ? null : await r.json() }));

    equal((await admin("POST", { component: "slack-send-message", answer: "failed" }, ctok)).status, 403);
    for (
      const [spec, why] of [
        [{ component: "nope-nothing", answer: "failed" }, /No sandbox component/],
        [{ component: "slack-new-message", answer: "failed" }, /Only an action's run/],
        [{ component: "slack-send-message", answer: "accepted", message: "x" }, /message is for failed runs/],
        [
          { component: "slack-send-message", answer: "failed", calls: ["configure"] },
          /not an answer to configure/,
        ],
        [{ component: "slack-send-message", answer: "later" }, /./],
      ] as const
    ) {
      const r = await admin("POST", spec);
      equal(r.status, 400, JSON.stringify(spec));
      match(r.body.error, why);
    }

    const slack = (await connectAccountViaSandbox(sbx.url, ctok, "slack")).accountId;
    const run = () =>
      fetch(`${sbx.url}/v1/connect/proj_sandbox/actions/run`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${oauth}`,
          "content-type": "application/json",
          "x-pd-environment": "development",
        },
        body: JSON.stringify({
          id: "slack-send-message",
          external_user_id: "ann",
          configured_props: { slack: { authProvisionId: slack }, channel: "C01GENERAL", text: "hi" },
        }),
      }).then(async (r) => ({ status: r.status, text: await r.text() }));

    // Accepted twice, for runs only: configure still answers.
    equal(
      (await admin("POST", { component: "slack-send-message", answer: "accepted", calls: ["run"], times: 2 }))
        .status,
      201,
    );
    deepStrictEqual([await run(), await run()], [{ status: 202, text: "" }, { status: 202, text: "" }]);
    const options = await pd.components.configureProp({
      id: "slack-send-message",
      externalUserId: "ann",
      propName: "channel",
      configuredProps: {},
    });
    equal(options.options?.length, 3);
    const after = await run();
    equal(after.status, 200);
    equal(JSON.parse(after.text).exports.$summary, "Sent message to #general");

    // Failed: 200, no exports, one error observation; cleared, runs answer again.
    await admin("POST", { component: "slack-send-message", answer: "failed", message: "channel_not_found" });
    deepStrictEqual((await admin("GET", undefined)).body.data, [
      { component: "slack-send-message", answer: "failed", message: "channel_not_found" },
    ]);
    const failed = JSON.parse((await run()).text);
    deepStrictEqual([failed.exports, failed.ret, failed.os.map((o: { k: string }) => o.k)], [{}, null, [
      "error",
    ]]);
    equal(failed.os[0].err.message, "channel_not_found");
    equal((await admin("DELETE", undefined)).status, 204);
    equal(JSON.parse((await run()).text).ret.ok, true);
  } finally {
    await sbx.close();
  }
});
