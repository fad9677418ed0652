/**
 * Screen reader: axe-core finds no critical or serious violation on any view
 * in light or dark, and no view logs a console error (withBrowser checks that
 * for every page); deep links request no icon the CSP would refuse.
 * Keyboard and phone: keyboard_phone_test.ts.
 */
import { equal } from "node:assert/strict";
import type { Page } from "playwright-core";
import {
  choose,
  expectAccessible,
  field,
  fillSheetsForm,
  openPicker,
  scenario,
  SHEETS_FORM,
  shot,
  startWith,
} from "./browser.ts";
import { expect } from "./expect.ts";

/** The app's theme, chosen as a user would, once the page has taken it. */
async function useTheme(page: Page, theme: "light" | "dark") {
  await page.getByLabel("Theme").selectOption(theme);
  await page.waitForFunction((t) => document.documentElement.dataset.theme === t, theme);
  // connect-react restyles its selects on the next render: let two frames pass.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** Views photographed in dark. */
const DARK_SHOTS = new Set(["accounts", "confirm-dialog", "action-result", "devtools-calls"]);

/** axe-core's rules whose outcome depends on colours. */
const COLOUR_RULES = ["color-contrast", "link-in-text-block"];

/** This view checked with axe-core and photographed, in light and in dark. */
async function inBothThemes(page: Page, name: string, reopen?: () => Promise<void>) {
  for (const theme of ["light", "dark"] as const) {
    if (reopen && theme === "dark") {
      // A modal dialog makes the rest of the page inert: close it to switch, then open it again.
      await page.keyboard.press("Escape");
      await useTheme(page, theme);
      await reopen();
    } else await useTheme(page, theme);
    // A theme changes colours only (the DOM is the same): in dark, the rules about colour are what can differ.
    await expectAccessible(page, `${name} (${theme})`, theme === "dark" ? COLOUR_RULES : undefined);
    // The other scenarios photograph the light views; these are the dark ones.
    if (theme === "dark" && DARK_SHOTS.has(name)) await shot(page, `a11y-${theme}-${name}`);
  }
}

Deno.test(scenario(
  "accessibility: no critical or serious axe-core violation on any view, light and dark",
  async ({ server, newPage }) => {
    const page = await newPage();
    const url = server.url;
    await page.goto(url);
    await inBothThemes(page, "first-screen");
    await startWith(page, url, ["google_sheets", "slack"], {
      path: "/?tab=triggers&app=slack&component=slack-new-message",
    });
    await choose(page, "Channel", "#general");
    await page.getByRole("button", { name: "Submit" }).click();
    await expect(page.getByTestId("deployed-trigger")).toHaveCount(1);
    await inBothThemes(page, "triggers");

    await openPicker(page);
    await expect(page.getByTestId("select-app").locator("input")).toBeVisible();
    await inBothThemes(page, "accounts");
    const disconnect = async () => {
      await page.getByRole("button", { name: "Disconnect Slack (sandbox)" }).click();
      await expect(page.getByRole("dialog")).toBeVisible();
    };
    await disconnect();
    await inBothThemes(page, "confirm-dialog", disconnect);
    await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();

    await page.goto(url + SHEETS_FORM);
    await expect(field(page, "Drive")).toBeVisible();
    await inBothThemes(page, "action-form");
    await fillSheetsForm(page);
    await page.getByRole("button", { name: "Show code" }).click();
    await expect(page.getByTestId("code").locator(".tok-keyword").first()).toBeVisible();
    await page.getByRole("button", { name: "Submit" }).click();
    await expect(page.getByTestId("run-result")).toContainText("Added 1 row");
    await expect(page.getByTestId("run")).toHaveCount(1);
    await page.getByTestId("run").first().getByRole("button", { name: "Show result" }).click();
    await expect(page.getByTestId("run").first().getByTestId("run-result")).toBeVisible();
    await inBothThemes(page, "action-result");

    await page.getByRole("button", { name: "Developer tools" }).click();
    await page.getByTestId("sdk-call").first().locator("summary").click();
    await inBothThemes(page, "devtools-calls");
    await page.getByRole("tab", { name: "Proxy" }).click();
    await expect(page.getByTestId("proxy-builder")).toBeVisible();
    await inBothThemes(page, "devtools-proxy");
  },
));

Deno.test(scenario(
  "deep links load no app icon from pipedream.com, and no s.v0/undefined",
  async ({ server, newPage }) => {
    const page = await newPage();
    const requested: string[] = [];
    page.on("request", (r) => requested.push(r.url()));
    await page.goto(`${server.url}/?tab=run&app=slack&component=slack-send-message`);
    await expect(page.getByTestId("select-app")).toContainText("Slack (sandbox)");
    await expect(page.getByTestId("select-app").locator("img[src*='/sandbox/_static/icons/slack.svg']"))
      .toBeVisible();
    const bad = requested.filter((u) => u.includes("pipedream.com") || u.includes("undefined"));
    equal(bad.length, 0, bad.join("\n"));
  },
));
