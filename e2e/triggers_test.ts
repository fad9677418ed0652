/**
 * Deployed triggers as a user sees them: the account and props each uses, a
 * test event that arrives through the real webhook path, the next check of a
 * polling trigger, a flag when its account is gone, and a confirmed delete.
 */
import { equal, match } from "node:assert/strict";
import { choose, scenario, shot, startWith } from "./browser.ts";
import { expect } from "./expect.ts";

Deno.test(scenario(
  "triggers: account and props shown, test event arrives live, polling shows its next check, " +
    "a disconnected account is flagged, delete asks first",
  async ({ server, newPage }) => {
    const page = await newPage();
    await startWith(page, server.url, ["slack", "acme_crm"], {
      path: "/?tab=triggers&app=slack&component=slack-new-message",
    });
    await choose(page, "Channel", "#random");
    await page.getByRole("button", { name: "Submit" }).click();
    const slackRow = page.getByTestId("deployed-trigger").filter({ hasText: "New Message In Channel" });
    await expect(slackRow).toContainText("Account: Slack (sandbox)");
    await expect(slackRow).toContainText("@slack.sandbox");
    await expect(slackRow.locator("dl")).toContainText("Channel#random");

    // A test event: made by the sandbox's Slack, delivered to the app's webhook, shown live.
    await slackRow.getByRole("button", { name: "Send a test event" }).click();
    await expect(slackRow).toContainText("arrives under Live events");
    const event = page.getByTestId("event").filter({ hasText: "Test event" });
    await expect(event).toBeVisible({ timeout: 10_000 });
    await shot(page, "30-test-event");

    // A polling trigger says when it checks next.
    await page.goto(`${server.url}/?tab=triggers&app=acme_crm&component=acme_crm-new-record`);
    await page.getByRole("button", { name: "Submit" }).click();
    const pollRow = page.getByTestId("deployed-trigger").filter({ hasText: "New Record (polling)" });
    const nextPoll = pollRow.getByTestId("next-poll");
    await expect(nextPoll).toContainText("Checks every 1 min; next check around");
    const at = Date.parse((await nextPoll.locator("time").getAttribute("datetime")) ?? "");
    const wait = at - Date.now();
    equal(wait > 0 && wait <= 60_000, true, `next check in ${wait} ms`);

    // The Slack account goes: its trigger is flagged, the other is not.
    await page.getByRole("tab", { name: "Accounts" }).click();
    await page.getByRole("button", { name: "Disconnect Slack (sandbox)" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Disconnect" }).click();
    await expect(page.getByTestId("account")).toHaveCount(1);
    await page.getByRole("tab", { name: "Triggers" }).click();
    await expect(slackRow.getByTestId("trigger-disconnected")).toContainText("Account disconnected");
    equal(await pollRow.getByTestId("trigger-disconnected").count(), 0);
    await shot(page, "31-disconnected-trigger");

    // Delete asks first, with Cancel focused.
    await slackRow.getByRole("button", { name: "Delete New Message In Channel" }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog).toContainText("Delete New Message In Channel?");
    match((await page.evaluate(() => document.activeElement?.textContent)) ?? "", /^Cancel$/);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(page.getByTestId("deployed-trigger")).toHaveCount(2);
    await slackRow.getByRole("button", { name: "Delete New Message In Channel" }).click();
    await dialog.getByRole("button", { name: "Delete trigger" }).click();
    await expect(page.getByTestId("deployed-trigger")).toHaveCount(1);
  },
));
