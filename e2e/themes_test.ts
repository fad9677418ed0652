/**
 * Light and dark: the system setting is followed, the choice is switchable and
 * remembered, and connect-react's form takes the same colours as the app. And
 * the whole thing works on a 375 px wide phone.
 */
import { equal, ok } from "node:assert/strict";
import type { Page } from "playwright-core";
import { eventually } from "../backend/testing/eventually.ts";
import { expect } from "./expect.ts";
import { choose, openPicker, pick, scenario, shot, startWith } from "./browser.ts";

const bg = (page: Page, selector: string) =>
  page.locator(selector).first().evaluate((el) => getComputedStyle(el).backgroundColor);
const theme = (page: Page) => page.evaluate(() => document.documentElement.dataset.theme);

/** Waits until `read` gives `want` (re-renders and style recalculation are not instant). */
const becomes = (read: () => Promise<unknown>, want: unknown, what: string) =>
  eventually(async () => (equal(await read(), want, what), true), { intervalMs: 100, what });

/** Connects Google Sheets and opens add-single-row with the account and drive chosen. */
async function openForm(page: Page, url: string) {
  await startWith(page, url, ["google_sheets"], {
    path: "/?tab=run&app=google_sheets&component=google_sheets-add-single-row",
  });
  await choose(page, "Google Sheets (sandbox) account", /@google_sheets\.sandbox/);
  await choose(page, "Drive", "My Drive");
  await expect(page.locator(".pd-field", { hasText: "Spreadsheet" }).locator(".react-select__control"))
    .toBeVisible();
}

Deno.test(scenario(
  "themes: follows the system, switches, and styles connect-react's form in both",
  async ({ server, newPage }) => {
    const light = await newPage();
    await openForm(light, server.url);
    equal(await theme(light), "light");
    equal(await bg(light, ".react-select__control"), "rgb(255, 255, 255)");
    await shot(light, "12-theme-light");

    const dark = await newPage({ dark: true });
    await openForm(dark, server.url);
    equal(await theme(dark), "dark");
    const page = await bg(dark, "body");
    equal(await bg(dark, ".react-select__control"), "rgb(23, 26, 33)", "form fields are dark too");
    ok(page !== "rgb(255, 255, 255)", `page background is dark (${page})`);
    // The app's own icons came from the sandbox, not a blocked pipedream.com URL.
    await expect(dark.locator("[data-testid=select-app] img[src*='/sandbox/_static/icons/']"))
      .toBeVisible();
    await shot(dark, "13-theme-dark");

    // Switch to light in the dark-system context; the choice survives a reload.
    await dark.getByLabel("Theme").selectOption("light");
    await becomes(() => theme(dark), "light", "the page switched to light");
    await becomes(() => bg(dark, ".react-select__control"), "rgb(255, 255, 255)", "the form follows");
    await dark.reload();
    await expect(dark.locator(".react-select__control")).toBeVisible();
    equal(await theme(dark), "light");
    await dark.getByLabel("Theme").selectOption("system");
    await becomes(() => theme(dark), "dark", "back to the system's dark");
  },
));

Deno.test(scenario(
  "375 px wide: nothing overflows sideways, the form and the code view stack",
  async ({ server, newPage }) => {
    const page = await newPage({ width: 375 });
    await page.goto(server.url);
    await expect(page.getByText("Sandbox mode.")).toBeVisible();
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth);
    ok(await overflow() <= 375, `first screen is ${await overflow()} px wide`);
    await openForm(page, server.url);
    ok(await overflow() <= 375, `the action form is ${await overflow()} px wide`);
    await shot(page, "14-mobile-375");
  },
));

Deno.test(scenario(
  "the sandbox's Connect dialog takes the app's theme, and a refused API key is not kept",
  async ({ server, newPage }) => {
    // The system is light; the app is set to dark.
    const page = await newPage({ allowConsole: /400 POST \S+\/sandbox\/_static\/connect\/authorize/ });
    await page.goto(server.url);
    await page.getByLabel("Theme").selectOption("dark");
    await openPicker(page);
    await pick(page, "[data-testid=select-app]", "acme", /Acme CRM \(sandbox\)/);
    await page.getByRole("button", { name: "Connect account", exact: true }).click();
    const frame = page.frameLocator("iframe[title='Pipedream Connect']");
    const key = frame.getByLabel("API key");
    await expect(key).toBeVisible();
    await becomes(
      () => frame.locator("html").evaluate((el) => (el as HTMLElement).dataset.theme),
      "dark",
      "the dialog follows the app",
    );
    const card = await frame.locator(".card").evaluate((el) => getComputedStyle(el).backgroundColor);
    equal(card, "rgb(23, 26, 33)", "the dialog's card is dark");
    await key.fill("not-a-key");
    await frame.getByRole("button", { name: "Connect", exact: true }).click();
    await expect(frame.getByRole("alert")).toContainText("not valid");
    equal(await frame.getByLabel("API key").inputValue(), "", "the refused key is cleared");
    await shot(page, "18-connect-dialog-dark");
    // Cancel closes the dialog without an error anywhere.
    await frame.getByRole("button", { name: "Cancel" }).click();
    await expect(page.locator("iframe[title='Pipedream Connect']")).toHaveCount(0);
    equal(await page.locator(".error-note").count(), 0);
  },
));
