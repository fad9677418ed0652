import { deepStrictEqual, equal, match } from "node:assert/strict";
import { AccountsResponse, AccountView, type SdkCall } from "../../shared/api.ts";
import { connectAccount, TestBrowser, withServer } from "../testing/fixtures.ts";

Deno.test("accounts: list, retrieve and delete only the owner's; no credentials", async () => {
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    const bob = new TestBrowser(server.url);
    await alice.startSession();
    await bob.startSession();

    deepStrictEqual((await alice.json("/api/accounts")).body, { data: [] });
    const aliceSheets = await connectAccount(alice, server, "google_sheets");
    const bobSlack = await connectAccount(bob, server, "slack");

    const list = await alice.fetch("/api/accounts");
    const raw = await list.text();
    const accounts = AccountsResponse.parse(JSON.parse(raw)).data;
    deepStrictEqual(accounts.map((a) => a.id), [aliceSheets]);
    equal(accounts[0].app?.nameSlug, "google_sheets");
    match(accounts[0].app?.name ?? "", /sandbox/i);
    equal(accounts[0].healthy, true);
    equal(/credential|sbx_at_|sbx_rt_|oauth_access_token/i.test(raw), false, raw);

    const one = await alice.json(`/api/accounts/${aliceSheets}`);
    equal(one.status, 200);
    equal(AccountView.parse(one.body).id, aliceSheets);

    // Bob's id is answered exactly like a missing one, and survives Alice's delete.
    const foreign = await alice.json(`/api/accounts/${bobSlack}`);
    const missing = await alice.json(`/api/accounts/apn_doesnotexist`);
    equal(foreign.status, 404);
    deepStrictEqual(foreign.body, { error: { code: "not_found", message: "Account not found" } });
    deepStrictEqual(missing.body, foreign.body);
    equal((await alice.fetch(`/api/accounts/${bobSlack}`, { method: "DELETE" })).status, 404);
    equal(AccountsResponse.parse((await bob.json("/api/accounts")).body).data.length, 1);

    const del = await alice.fetch(`/api/accounts/${aliceSheets}`, { method: "DELETE" });
    equal(del.status, 204);
    deepStrictEqual((await alice.json("/api/accounts")).body, { data: [] });
    equal((await alice.json(`/api/accounts/${aliceSheets}`)).status, 404);
  });
});

Deno.test("accounts: malformed ids are 400s", async () => {
  await withServer(async (server) => {
    const browser = new TestBrowser(server.url);
    for (const id of ["nope", "apn_%00", "apn_" + "a".repeat(200), "..%2f..%2fsandbox"]) {
      const res = await browser.json<{ error: { code: string } }>(`/api/accounts/${id}`);
      equal(res.status, 400, id);
      equal(res.body.error.code, "invalid_request");
    }
  });
});

// The sandbox, like Pipedream's documented examples, gives the last page an end_cursor too.
Deno.test("accounts: a short page is the last one, even when it carries an end_cursor", async () => {
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    await connectAccount(alice, server, "slack");
    await connectAccount(alice, server, "google_sheets");
    equal((await alice.json<{ data: unknown[] }>("/api/accounts")).body.data.length, 2);
    const calls = (await alice.json<{ data: SdkCall[] }>("/api/sdk-calls")).body.data
      .filter((c) => c.method === "GET" && new URL(c.path, "http://x").pathname.endsWith("/accounts"));
    equal(calls.length, 1, "one call: no request for a page after a short one");
  });
});
