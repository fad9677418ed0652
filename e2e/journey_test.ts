/**
 * The whole journey on the sandbox, as a new user would take it, in Debian's
 * Chromium: connect, run a chained-options action, deploy a trigger and watch
 * its event arrive, a second user who sees none of it, disconnect. The Connect
 * Link and a denied consent follow in connect_link_test.ts.
 */
import { equal, match, ok } from "node:assert/strict";
import { expect } from "./expect.ts";
import { choose, connectInDialog, field, scenario, shot } from "./browser.ts";

Deno.test(scenario(
  "journey: connect, run, deploy, watch events, isolation, disconnect, reconnect, proxy (continued in connect_link_test.ts)",
  async ({ server, newPage }) => {
    // The two refusals this journey asks for on purpose: a wrong API key, a denied consent.
    const page = await newPage({
      allowConsole: /(400|403) POST \S+\/sandbox\/_static\/connect\/authorize/,
    });
    await page.goto(server.url);
    await expect(page.getByText("Sandbox mode.")).toBeVisible();
    await expect(page.getByText("No accounts yet.")).toBeVisible();
    await shot(page, "01-first-visit");

    // 1. Connect Google Sheets in the embedded Connect dialog.
    await connectInDialog(page, "google_sheets", /Google Sheets \(sandbox\)/);
    await expect(page.getByTestId("account").filter({ hasText: "Google Sheets (sandbox)" })).toBeVisible();
    await expect(page.locator("iframe[title='Pipedream Connect']")).toHaveCount(0, { timeout: 10_000 });
    await expect(page.getByRole("status").filter({ hasText: "Connected Google Sheets (sandbox)" }))
      .toBeVisible();
    await shot(page, "02-connected-google-sheets");

    // 2. Run google_sheets-add-single-row through drive → spreadsheet → worksheet.
    await page.goto(`${server.url}/?tab=run&app=google_sheets&component=google_sheets-add-single-row`);
    // The only account is already chosen.
    await expect(field(page, "Google Sheets (sandbox) account")).toContainText("@google_sheets.sandbox");
    await choose(page, "Drive", "My Drive");
    await choose(page, "Spreadsheet", "Sales pipeline 2026");
    await choose(page, "Worksheet", /^Leads/);
    const row = page.locator(".pd-field").filter({ has: page.locator("label", { hasText: "Row" }) });
    await row.getByPlaceholder("Key").first().fill("Name");
    await row.getByPlaceholder("Value").first().fill("Ada Lovelace");
    await shot(page, "03-action-form-filled");
    await page.getByRole("button", { name: "Submit" }).click();
    const result = page.getByTestId("run-result");
    await expect(result).toContainText("Added 1 row to Sales pipeline 2026 › Leads");
    await expect(result).toContainText("Ada Lovelace");
    await expect(page.getByTestId("runs")).toContainText("google_sheets-add-single-row");
    await shot(page, "04-action-result");

    // 3. Connect Slack, deploy slack-new-message on #general.
    await connectInDialog(page, "slack", /Slack \(sandbox\)/);
    await expect(page.getByTestId("account").filter({ hasText: "Slack (sandbox)" })).toBeVisible();
    await page.goto(`${server.url}/?tab=triggers&app=slack&component=slack-new-message`);
    await expect(field(page, "Slack (sandbox) account")).toContainText("@slack.sandbox");
    await choose(page, "Channel", "#general");
    await page.getByRole("button", { name: "Submit" }).click();
    await expect(page.getByText(/Deployed New Message In Channel/)).toBeVisible();
    await expect(page.getByTestId("deployed-trigger")).toHaveCount(1);
    await shot(page, "05-trigger-deployed");

    // 4. Send a message with the action; the trigger's event arrives in the live feed.
    await page.goto(`${server.url}/?tab=run&app=slack&component=slack-send-message`);
    await expect(field(page, "Slack (sandbox) account")).toContainText("@slack.sandbox");
    await choose(page, "Channel", "#general");
    await page.locator(".pd-field").filter({ has: page.locator("label", { hasText: /^Text/ }) }).locator(
      "input, textarea",
    )
      .first().fill("hello from the browser test");
    await page.getByRole("button", { name: "Submit" }).click();
    await expect(page.getByTestId("run-result")).toContainText("Sent message to #general");
    await page.getByRole("tab", { name: "Triggers" }).click();
    const event = page.getByTestId("event").filter({ hasText: "hello from the browser test" });
    await expect(event).toBeVisible({ timeout: 10_000 });
    await event.locator("summary").click();
    await expect(event.locator("pre")).toContainText('"channel": "C01GENERAL"');
    await shot(page, "06-event-in-feed");

    // 5. A second user sees none of it.
    const other = await newPage();
    await other.goto(server.url);
    await expect(other.getByText("No accounts yet.")).toBeVisible();
    await other.getByRole("tab", { name: "Run an action" }).click();
    await expect(other.getByText("No runs yet.")).toBeVisible();
    await other.getByRole("tab", { name: "Triggers" }).click();
    await expect(other.getByText("None deployed yet.")).toBeVisible();
    await expect(other.getByText(/No events yet/)).toBeVisible();
    equal(await other.getByTestId("event").count(), 0);
    await shot(other, "07-second-user-sees-nothing");

    // 6. Disconnect Google Sheets (with confirmation).
    await page.getByRole("tab", { name: "Accounts" }).click();
    await page.getByRole("button", { name: "Disconnect Google Sheets (sandbox)" }).click();
    await expect(page.getByRole("dialog")).toContainText("Disconnect Google Sheets (sandbox)?");
    // The safe choice has focus: Enter does not disconnect.
    equal(await page.evaluate(() => document.activeElement?.textContent), "Cancel");
    await shot(page, "08-disconnect-confirm");
    await page.getByRole("dialog").getByRole("button", { name: "Disconnect" }).click();
    await expect(page.getByTestId("account").filter({ hasText: "Google Sheets (sandbox)" })).toHaveCount(0);
    await expect(page.getByTestId("account")).toHaveCount(1);

    // 6b. Reconnect Slack from the accounts panel: the same account, new credentials, still one account.
    const slackRow = page.getByTestId("account").filter({ hasText: "Slack (sandbox)" });
    const slackId = (await slackRow.locator("code").textContent())!;
    match(slackId, /^apn_/);
    await slackRow.getByRole("button", { name: /^Reconnect/ }).click();
    const reconnect = page.frameLocator("iframe[title='Pipedream Connect']");
    await expect(reconnect.getByRole("heading", { name: "Reconnect Slack (sandbox)" })).toBeVisible();
    await shot(page, "08b-reconnect-consent");
    await reconnect.getByRole("button", { name: "Allow access" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Reconnected Slack (sandbox)." })).toBeVisible();
    await expect(page.locator("iframe[title='Pipedream Connect']")).toHaveCount(0, { timeout: 10_000 });
    await expect(page.getByTestId("account")).toHaveCount(1);
    await expect(slackRow.locator("code")).toContainText(slackId);
    const refreshed = await page.evaluate(async () => {
      const res = await fetch("/api/accounts");
      return (await res.json()).data as Array<{ id: string; createdAt: string; updatedAt: string }>;
    });
    equal(refreshed.length, 1);
    equal(refreshed[0].id, slackId);
    ok(Date.parse(refreshed[0].updatedAt) > Date.parse(refreshed[0].createdAt), "updated_at moved on");

    // 6c. The proxy builder calls Slack's API with the (reconnected) account: a full URL on slack.com.
    await page.getByRole("button", { name: "Developer tools" }).click();
    await page.getByTestId("devtools").getByRole("tab", { name: "Proxy" }).click();
    const builder = page.getByTestId("proxy-builder");
    const path = builder.getByLabel("Path");
    await path.fill("https://slack.com/api/conversations.history?channel=C01GENERAL");
    await builder.getByRole("button", { name: "Send" }).click();
    const proxied = builder.getByTestId("proxy-result");
    await expect(proxied).toContainText("200");
    await expect(proxied).toContainText("hello from the browser test");
    await shot(page, "08c-proxy-builder");
    // A path relative to Slack's base works too; a domain Slack's account is not for is refused by the proxy.
    await path.fill("/conversations.list");
    await builder.getByRole("button", { name: "Send" }).click();
    await expect(proxied).toContainText("C02RANDOM");
    await path.fill("https://evil.example/steal");
    await builder.getByRole("button", { name: "Send" }).click();
    await expect(proxied).toContainText("400");
    await expect(proxied).toContainText(
      "domain not allowed for this app: evil.example (Slack (sandbox) allows slack.com)",
    );
    await page.getByRole("button", { name: "Developer tools" }).click();
  },
));
