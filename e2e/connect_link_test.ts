/**
 * The journey, continued (journey_test.ts has its first half): a user who
 * has Slack connected uses the Connect Link for an API-key app and comes back
 * where they were, runs a reload-props action, and denies a second Slack.
 */
import { equal, match } from "node:assert/strict";
import { choose, connectInDialog, field, openPicker, pick, scenario, shot, startWith } from "./browser.ts";
import { expect } from "./expect.ts";

Deno.test(scenario(
  "journey, continued: the Connect Link round trip, reload props, a denied consent",
  async ({ server, newPage }) => {
    // The two refusals this journey asks for on purpose: a wrong API key, a denied consent.
    const page = await newPage({ allowConsole: /(400|403) POST \S+\/sandbox\/_static\/connect\/authorize/ });
    await startWith(page, server.url, ["slack"]);

    // 7. The Connect Link: a plain redirect, an API-key app, back with success shown.
    await openPicker(page);
    await pick(page, "[data-testid=select-app]", "acme", /Acme CRM \(sandbox\)/);
    await page.getByRole("button", { name: "Use Connect Link instead" }).click();
    await page.waitForURL(/\/sandbox\/_static\/connect\.html/);
    await page.getByLabel("API key").fill("not-a-key");
    await page.getByRole("button", { name: "Connect" }).click();
    await expect(page.getByRole("alert")).toContainText("not valid");
    await page.getByLabel("API key").fill("sbx_key_demo1234");
    await shot(page, "09-connect-link-api-key");
    await page.getByRole("button", { name: "Connect" }).click();
    await page.waitForURL(/tab=accounts&app=acme_crm/);
    // Back where the user left: the notice names the app, the picker is open on it.
    await expect(page.getByText("Connected Acme CRM (sandbox) through the Connect Link.")).toBeVisible();
    await expect(page.getByTestId("select-app")).toContainText("Acme CRM (sandbox)");
    await expect(page.getByTestId("account").filter({ hasText: "Acme CRM (sandbox)" })).toBeVisible();
    await shot(page, "10-connect-link-success");

    // 7b. Reload props: the record type decides which fields exist.
    await page.goto(`${server.url}/?tab=run&app=acme_crm&component=acme_crm-create-record`);
    await expect(field(page, "Acme CRM (sandbox) account")).toContainText("@acme_crm.sandbox");
    await choose(page, "Record type", "Deal");
    const input = (label: string) =>
      page.locator(".pd-field").filter({ has: page.locator("label", { hasText: label }) }).locator("input")
        .first();
    await expect(page.locator(".pd-label").filter({ hasText: "Deal title" })).toBeVisible();
    await input("Deal title").fill("Enterprise plan");
    await input("Amount (USD)").fill("12000");
    await page.getByRole("button", { name: "Submit" }).click();
    await expect(page.getByTestId("run-result")).toContainText("Created deal rec_");
    await shot(page, "10b-reload-props-result");

    // 8. Connecting Slack again asks first; a denied consent is the user's choice, said plainly.
    await connectInDialog(page, "slack", /Slack \(sandbox\)/, { deny: true, again: true });
    const frame = page.frameLocator("iframe[title='Pipedream Connect']");
    await expect(frame.getByRole("alert")).toContainText("denied");
    await expect(page.getByRole("status").filter({ hasText: "Slack (sandbox) was not connected" }))
      .toBeVisible();
    equal(await page.locator(".error-note").count(), 0, "a denial is not shown as an error");
    // While the dialog is open, focus is in it and the page behind is inert.
    equal(await page.evaluate(() => document.activeElement?.tagName), "IFRAME");
    equal(await page.locator("#root[inert]").count(), 1);
    await shot(page, "11-denied-consent");
    await frame.getByText("Close", { exact: true }).click();
    await expect(page.locator("iframe[title='Pipedream Connect']")).toHaveCount(0);
    await expect(page.locator("#root[inert]")).toHaveCount(0);
    await expect(page.locator("button:focus")).toContainText("Connect account");
    match(page.url(), new RegExp(`^${server.url}`));
  },
));
