/**
 * Forms that explain themselves, in a real browser on the sandbox: required
 * fields marked and listed beside a disabled Submit, stale dependents
 * cleared, remote-option failures shown in the field with a retry, run
 * errors shown in the form, numbers kept as typed and explained, and the
 * whole form (dynamic props and labels included) back after a reload.
 */
import { equal, ok } from "node:assert/strict";
import { choose, field, scenario, SHEETS_FORM, shot, startWith } from "./browser.ts";
import { expect } from "./expect.ts";

const DEAL_FORM = "/?tab=run&app=acme_crm&component=acme_crm-create-record";

Deno.test(scenario(
  "forms: required marked and listed, dependents cleared, kept across a reload, run errors in place",
  async ({ server, newPage }) => {
    const page = await newPage({ allowConsole: /400 POST \S+\/api\/actions\/run/ });
    await startWith(page, server.url, ["google_sheets"], { path: SHEETS_FORM });

    // Why Submit is disabled, field by field; every required field marked.
    const submit = page.getByRole("button", { name: "Submit" });
    const help = page.getByTestId("submit-help");
    await expect(help).toContainText("Submit is disabled until these are done");
    for (const name of ["Drive", "Spreadsheet", "Worksheet"]) await expect(help).toContainText(name);
    equal(await submit.isDisabled(), true);
    equal(
      await page.locator(".pd-field .required-mark").count(),
      5,
      "account, drive, spreadsheet, worksheet, row",
    );
    equal(await submit.getAttribute("aria-describedby"), await help.getAttribute("id"));
    await shot(page, "20-form-why-disabled");

    await choose(page, "Drive", "My Drive");
    await choose(page, "Spreadsheet", "Sales pipeline 2026");
    await choose(page, "Worksheet", /^Leads/);
    // Only the empty row is left to do.
    await expect(help).toContainText(/^Fix this before submitting:Row — Required\.$/);

    // Another drive: the spreadsheet and worksheet chosen in the first one are gone.
    await choose(page, "Drive", "Team drive: Operations");
    await expect(field(page, "Spreadsheet")).toContainText("Select");
    equal((await field(page, "Spreadsheet").textContent())?.includes("Sales pipeline 2026"), false);
    equal((await field(page, "Worksheet").textContent())?.includes("Leads"), false);
    await expect(help).toContainText("Spreadsheet");

    // A required row left empty is named beside Submit too (the browser's own check stops it).
    await choose(page, "Drive", "My Drive");
    await choose(page, "Spreadsheet", "Sales pipeline 2026");
    await choose(page, "Worksheet", /^Leads/);
    // A run error comes back into the form (connect-react's sdkResponse).
    const row = field(page, "Row");
    await row.getByPlaceholder("Key").first().fill("Nmae");
    await row.getByPlaceholder("Value").first().fill("Grace Hopper");
    await submit.click();
    await expect(page.getByTestId("sdk-errors")).toContainText("Unknown column(s) Nmae");
    // The run history says why, in plain sight.
    await expect(page.getByTestId("run-error")).toContainText("Unknown column(s) Nmae");
    await shot(page, "21-run-error-in-form");

    // Reload: every choice comes back, labels and all, and the URL is shareable (no account in it).
    await page.reload();
    await expect(field(page, "Drive")).toContainText("My Drive");
    await expect(field(page, "Spreadsheet")).toContainText("Sales pipeline 2026");
    await expect(field(page, "Worksheet")).toContainText("Leads (Name, Email, Stage)");
    ok(!decodeURIComponent(page.url()).includes("apn_"), "no account id in the URL");
    equal(await row.getByPlaceholder("Value").first().inputValue(), "Grace Hopper");
    await row.getByPlaceholder("Key").first().fill("Name");
    await submit.click();
    await expect(page.getByTestId("run-result")).toContainText("Added 1 row");

    // A link opened by another user: the same form, with their own account (here: none yet).
    const other = await newPage();
    await other.goto(page.url());
    await expect(field(other, "Worksheet")).toContainText("Leads (Name, Email, Stage)");
    await expect(other.getByTestId("submit-help")).toContainText("Google Sheets (sandbox) account");
  },
));

Deno.test(scenario(
  "forms: numbers kept as typed and explained; reload props restored after a reload",
  async ({ server, newPage }) => {
    const page = await newPage({ allowConsole: /400 POST \S+\/api\/actions\/run/ });
    await startWith(page, server.url, ["acme_crm"], { path: DEAL_FORM });
    await choose(page, "Record type", "Deal");
    const input = (label: string) => field(page, label).locator("input").first();
    await input("Deal title").fill("Renewal");

    // 1.5 is not a whole number: it stays 1.5, the field says why, and nothing is sent.
    await input("Amount (USD)").fill("1.5");
    equal(await input("Amount (USD)").inputValue(), "1.5");
    await expect(field(page, "Amount (USD)").getByTestId("field-error")).toContainText("whole number");
    await page.getByRole("button", { name: "Submit" }).click();
    await expect(page.getByTestId("submit-help")).toContainText("Amount (USD)");
    equal(await page.getByTestId("run-result").count(), 0);
    equal((await server.db.execute("SELECT COUNT(*) AS n FROM action_runs")).rows[0].n, 0);

    // Out of range: said next to the field and beside the disabled Submit.
    await input("Amount (USD)").fill("99999999");
    await expect(field(page, "Amount (USD)").getByTestId("field-error")).toContainText(
      "Must be at most 10,000,000.",
    );
    await expect(page.getByTestId("submit-help")).toContainText("Amount (USD)");
    equal(await page.getByRole("button", { name: "Submit" }).isDisabled(), true);
    await shot(page, "22-number-out-of-range");

    await input("Amount (USD)").fill("12000");
    await expect(page.getByTestId("submit-help")).toHaveCount(0);

    // Reload: the reload-props fields come back with their values (Pipedream issue #18625).
    await page.reload();
    await expect(field(page, "Record type")).toContainText("Deal");
    equal(await input("Deal title").inputValue(), "Renewal");
    equal(await input("Amount (USD)").inputValue(), "12000");
    await page.getByRole("button", { name: "Submit" }).click();
    await expect(page.getByTestId("run-result")).toContainText("Created deal rec_");

    // An error the run names a field for shows under that field.
    await choose(page, "Record type", "Contact");
    await input("Full name").fill("Ada");
    await input("Email").fill("not-an-email");
    await page.getByRole("button", { name: "Submit" }).click();
    await expect(field(page, "Email").getByTestId("field-error")).toContainText(
      "Email must be an email address",
    );
  },
));

Deno.test(scenario(
  "forms: remote options that fail say so in the field and load on retry",
  async ({ server, newPage }) => {
    const page = await newPage({ allowConsole: /503 POST \S+\/sandbox\/v1\/connect\/.*configure/ });
    await startWith(page, server.url, ["slack"]);
    server.sandbox.faults.add({ match: "/configure", status: 503 });
    await page.goto(`${server.url}/?tab=run&app=slack&component=slack-send-message`);
    const channel = field(page, "Channel");
    await expect(channel.getByTestId("field-error")).toContainText("Could not load the options", {
      timeout: 10_000,
    });
    await shot(page, "23-options-error");
    server.sandbox.faults.clear();
    await channel.getByRole("button", { name: "Try again" }).click();
    await expect(channel.getByTestId("field-error")).toHaveCount(0);
    await choose(page, "Channel", "#random");
    await expect(channel).toContainText("#random");
  },
));
