/**
 * Which account a form uses: the newest is preselected, two accounts of one
 * app are told apart, and connecting the same app again asks first.
 */
import { equal, ok } from "node:assert/strict";
import { connectInDialog, field, openPicker, pick, scenario, shot, startWith } from "./browser.ts";
import { expect } from "./expect.ts";

Deno.test(scenario(
  "accounts: the newest is preselected, two of one app are told apart, connecting again asks first",
  async ({ server, newPage }) => {
    const page = await newPage();
    await startWith(page, server.url, ["slack"]);
    // The same app again: asked first, Cancel focused; cancelling connects nothing.
    await openPicker(page);
    await pick(page, "[data-testid=select-app]", "slack", /Slack \(sandbox\)/);
    await page.getByRole("button", { name: "Connect account", exact: true }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog).toContainText("Connect another Slack (sandbox) account?");
    equal(await page.evaluate(() => document.activeElement?.textContent), "Cancel");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    equal(await page.locator("iframe[title='Pipedream Connect']").count(), 0);
    await connectInDialog(page, "slack", /Slack \(sandbox\)/, { again: true });
    await expect(page.getByTestId("account")).toHaveCount(2);
    const newest = await page.evaluate(async () => {
      const { data } = await (await fetch("/api/accounts")).json();
      return (data as Array<{ id: string; createdAt: string }>)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0].id;
    });

    await page.goto(`${server.url}/?tab=run&app=slack&component=slack-send-message`);
    const account = field(page, "Slack (sandbox) account");
    await expect(account).toContainText("@slack.sandbox");
    await account.locator(".react-select__control").click();
    const options = await page.getByRole("option").allTextContents();
    const labels = options.filter((o) => o.includes("@slack.sandbox"));
    equal(labels.length, 2);
    ok(labels[0] !== labels[1], `labels differ: ${labels.join(" / ")}`);
    ok(options.some((o) => o.startsWith("Connect new")), "connecting another is still offered");
    ok((await account.textContent())?.includes(newest.slice(-6)), "the newest account is preselected");
    // "Connect new" chosen in the form asks first too.
    await page.getByRole("option", { name: /^Connect new/ }).click();
    await expect(page.getByRole("dialog")).toContainText("Connect another Slack (sandbox) account?");
    await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
    equal(await page.locator("iframe[title='Pipedream Connect']").count(), 0);
    await shot(page, "24-two-accounts");
  },
));
