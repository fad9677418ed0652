import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { SdkCallsResponse } from "../../shared/api.ts";
import { REDACTED } from "../../shared/redact.ts";
import { connectAccount, TestBrowser, withServer } from "../testing/fixtures.ts";

Deno.test("sdk-calls: each user sees the Pipedream calls made for them, redacted, and clears only their own", async () => {
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    const bob = new TestBrowser(server.url);
    const slack = await connectAccount(alice, server, "slack");
    await alice.json(`/api/accounts/${slack}`);
    await bob.json("/api/accounts");

    const calls = SdkCallsResponse.parse((await alice.json("/api/sdk-calls")).body).data;
    // The token the app minted for Alice, and her accounts it read, newest first, with their queries.
    const paths = calls.map((c) => `${c.method} ${c.path.split("?")[0]}`);
    ok(paths.includes("GET /v1/connect/proj_sandbox/accounts"), paths.join("\n"));
    const aliceId = (await alice.json<{ externalUserId: string }>("/api/session")).body.externalUserId;
    ok(
      calls.some((c) => c.path.includes(`external_user_id=${aliceId}`)),
      calls.map((c) => c.path).join("\n"),
    );
    ok(paths.some((p) => p.endsWith("/tokens")), paths.join("\n"));
    const mint = calls.find((c) => c.path.endsWith("/tokens"))!;
    equal(mint.status, 200);
    ok(mint.responseBody?.includes(`"token":"${REDACTED}"`), String(mint.responseBody));
    ok(!JSON.stringify(calls).includes("ctok_"), "no connect token in the log");
    deepStrictEqual(calls.map((c) => c.id), [...calls.map((c) => c.id)].sort((a, b) => b - a));

    // Bob's log holds Bob's calls only; clearing it leaves Alice's alone.
    const bobsCalls = SdkCallsResponse.parse((await bob.json("/api/sdk-calls")).body).data;
    ok(bobsCalls.length > 0 && bobsCalls.every((c) => !c.path.includes(aliceId)));
    equal((await bob.fetch("/api/sdk-calls", { method: "DELETE" })).status, 204);
    deepStrictEqual(SdkCallsResponse.parse((await bob.json("/api/sdk-calls")).body).data, []);
    equal(SdkCallsResponse.parse((await alice.json("/api/sdk-calls")).body).data.length, calls.length);
  });
});
