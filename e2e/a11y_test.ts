/**
 * Keyboard, screen reader and phone: axe-core finds no critical or serious
 * violation on any view in light or dark; every picker shows keyboard focus;
 * focus goes where the user needs it; the main landmark stays; nothing
 * scrolls sideways at 375 and 390 px; and no view logs a console error
 * (withBrowser checks that for every page).
 */
import { equal, ok } from "node:assert/strict";
import type { Page } from "playwright-core";
import {
  browserTest,
  choose,
  expectAccessible,
  expectNoSidewaysScroll,
  field,
  openPicker,
  shot,
  startWith,
} from "./browser.ts";
import { expect } from "./expect.ts";

const SHEETS_FORM = "/?tab=run&app=google_sheets&component=google_sheets-add-single-row";

async function fillSheetsForm(page: Page) {
  await choose(page, "Drive", "My Drive");
  await choose(page, "Spreadsheet", "Sales pipeline 2026");
  await choose(page, "Worksheet", /^Leads/);
  const row = field(page, "Row");
  await row.getByPlaceholder("Key").first().fill("Name");
  await row.getByPlaceholder("Value").first().fill("Ada Lovelace");
}

/** The app's theme, chosen as a user would, once the page has taken it. */
async function useTheme(page: Page, theme: "light" | "dark") {
  await page.getByLabel("Theme").selectOption(theme);
  await page.waitForFunction((t) => document.documentElement.dataset.theme === t, theme);
}

/** This view checked with axe-core and photographed, in light and in dark. */
async function inBothThemes(page: Page, name: string, reopen?: () => Promise<void>) {
  for (const theme of ["light", "dark"] as const) {
    if (reopen && theme === "dark") {
      // A modal dialog makes the rest of the page inert: close it to switch, then open it again.
      await page.keyboard.press("Escape");
      await useTheme(page, theme);
      await reopen();
    } else await useTheme(page, theme);
    await expectAccessible(page, `${name} (${theme})`);
    // The other scenarios photograph the light views.
    if (theme === "dark") await shot(page, `a11y-${theme}-${name}`);
  }
}

browserTest(
  "accessibility: no critical or serious axe-core violation on any view, light and dark",
  async ({ server, newPage }) => {
    const page = await newPage();
    const url = server.url;
    await page.goto(url);
    await inBothThemes(page, "first-screen");
    await startWith(page, url, ["google_sheets", "slack"]);
    await page.goto(`${url}/?tab=triggers&app=slack&component=slack-new-message`);
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
);

browserTest(
  "keyboard: visible focus on every picker, focus moved into the picker, landmarks and tabs intact",
  async ({ server, newPage }) => {
    const page = await newPage();
    await page.goto(server.url);
    equal(await page.locator("main").count(), 1, "one main landmark");
    equal(await page.locator("main[role]").count(), 0, "main keeps its role");
    // Only tabs inside a tablist.
    for (const list of await page.getByRole("tablist").all()) {
      equal(await list.locator("button:not([role=tab])").count(), 0, "no other button in a tablist");
    }

    // "Connect an account" moves focus into the app picker, which says what it is.
    await page.getByRole("button", { name: "Connect an account", exact: true }).click();
    const picker = page.getByTestId("select-app").locator("input");
    await expect(picker).toBeVisible();
    await page.waitForFunction(() => document.activeElement?.closest("[data-testid=select-app]") !== null);
    equal(await picker.getAttribute("aria-labelledby"), "connect-app-label");
    await expect(page.locator("[data-testid=select-app] .react-select__control--is-focused")).toHaveCount(
      1,
    );
    const ring = await page.locator("[data-testid=select-app] .react-select__control").evaluate((el) =>
      getComputedStyle(el).outlineStyle
    );
    equal(ring, "solid", "the focused picker shows a focus ring");

    // Every form dropdown, reached by keyboard, shows focus too.
    await startWith(page, server.url, ["google_sheets"]);
    await page.goto(server.url + SHEETS_FORM);
    await expect(field(page, "Drive")).toBeVisible();
    const drive = field(page, "Drive");
    const input = drive.locator("input").first();
    await input.focus();
    await expect(drive.locator(".react-select__control--is-focused")).toHaveCount(1);
    equal(
      await drive.locator(".react-select__control").evaluate((el) => getComputedStyle(el).outlineStyle),
      "solid",
    );
    // Its label names it, and says it is required.
    equal(await page.getByRole("combobox", { name: "Drive (required)", exact: true }).count(), 1);
    // The code view's copy button sits outside its tablist.
    await page.getByRole("button", { name: "Show code" }).click();
    for (const list of await page.getByRole("tablist").all()) {
      equal(await list.locator("button:not([role=tab])").count(), 0, "no other button in a tablist");
    }
    await expect(page.getByRole("button", { name: /^Copy / })).toBeVisible();
  },
);

browserTest(
  "phone: nothing scrolls sideways at 375 and 390 px, run results wrap",
  async ({ server, newPage }) => {
    for (const width of [375, 390]) {
      const page = await newPage({ width, height: 844, dark: width === 390 });
      await page.goto(server.url);
      await expectNoSidewaysScroll(page, `first screen at ${width}`);
      await startWith(page, server.url, ["google_sheets"]);
      await expectNoSidewaysScroll(page, `accounts at ${width}`);
      await page.goto(server.url + SHEETS_FORM);
      await fillSheetsForm(page);
      await expectNoSidewaysScroll(page, `action form at ${width}`);
      // The form uses the phone's width rather than squeezing beside the code view.
      const box = await field(page, "Drive").boundingBox();
      ok(box && box.width >= width * 0.75, `the Drive field is ${box?.width} px wide at ${width}`);
      await page.getByRole("button", { name: "Submit" }).click();
      await expect(page.getByTestId("run-result")).toContainText("Added 1 row");
      await expectNoSidewaysScroll(page, `run result at ${width}`);
      await page.getByRole("button", { name: "Developer tools" }).click();
      await expect(page.getByTestId("devtools")).toBeVisible();
      await expectNoSidewaysScroll(page, `developer tools at ${width}`);
      await shot(page, `phone-${width}-result`);
    }
  },
);

browserTest(
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
);
