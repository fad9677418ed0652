/**
 * Reconnecting (`connectAccount({ accountId })`, whose Connect page URL
 * carries `accountId`): the same account gets new credentials, and only the
 * token's own user's account of that app can be reconnected.
 */
import { deepStrictEqual, equal, match, notEqual } from "node:assert/strict";
import { ManualClock } from "../lib/clock.ts";
import { connectAccountViaSandbox, sandboxServerClient, standaloneSandbox } from "./testing.ts";

Deno.test("reconnect: same account id, new credentials, a later updated_at, no second account", async () => {
  const clock = new ManualClock(Date.parse("2026-11-01T10:00:00Z"));
  const sbx = await standaloneSandbox({ clock });
  try {
    const pd = sandboxServerClient(sbx.url, "development");
    const mint = async (user: string) => (await pd.tokens.create({ externalUserId: user })).token;
    const withCredentials = async (id: string) =>
      await pd.accounts.retrieve(id, { includeCredentials: true });

    const { accountId } = await connectAccountViaSandbox(sbx.url, await mint("ann"), "slack");
    const before = await withCredentials(accountId!);
    clock.advance(60_000);

    const again = await connectAccountViaSandbox(sbx.url, await mint("ann"), "slack", { accountId });
    deepStrictEqual(again, { accountId });
    const after = await withCredentials(accountId!);
    equal(after.id, before.id);
    match(after.credentials?.oauthAccessToken ?? "", /^sbx_at_/);
    notEqual(after.credentials?.oauthAccessToken, before.credentials?.oauthAccessToken);
    equal(after.createdAt?.getTime(), before.createdAt?.getTime());
    equal(Number(after.updatedAt) - Number(before.updatedAt), 60_000);
    deepStrictEqual((await pd.accounts.list({ externalUserId: "ann" })).data.map((a) => a.id), [accountId]);

    // Only the token's own user's account of that app.
    const other = await connectAccountViaSandbox(sbx.url, await mint("bob"), "slack", { accountId });
    match(other.error ?? "", /is not one of this user's accounts/);
    const wrongApp = await connectAccountViaSandbox(sbx.url, await mint("ann"), "google_sheets", {
      accountId,
    });
    match(wrongApp.error ?? "", /is a slack account, not Google Sheets/);
    const unknown = await connectAccountViaSandbox(sbx.url, await mint("ann"), "slack", {
      accountId: "apn_doesnotexist",
    });
    match(unknown.error ?? "", /apn_doesnotexist is not one of this user's accounts/);
    equal((await pd.accounts.list({})).data.length, 1, "no account was created by the refused attempts");

    // Denying a reconnect leaves the account as it was.
    const denied = await connectAccountViaSandbox(sbx.url, await mint("ann"), "slack", {
      accountId,
      deny: true,
    });
    match(denied.error ?? "", /denied/);
    equal(
      (await withCredentials(accountId!)).credentials?.oauthAccessToken,
      after.credentials?.oauthAccessToken,
    );
  } finally {
    await sbx.close();
  }
});
