/**
 * Keyboard and phone: every picker shows keyboard focus, focus goes where the
 * user needs it, the main landmark and the tablists stay clean; nothing
 * scrolls sideways at 375 and 390 px, and the form uses the phone's width.
 */
import { equal, ok } from "node:assert/strict";
import {
  expectNoSidewaysScroll,
  field,
  fillSheetsForm,
  scenario,
  SHEETS_FORM,
  shot,
  startWith,
} from "./browser.ts";
import { expect } from "./expect.ts";

Deno.test(scenario(
  "keyboard: visible focus on every picker, focus moved into the picker, landmarks and tabs intact",
  async ({ server, newPage }) => {
    const page = await newPage();
    await page.goto(server.url);
    await page.locator(".identity code").waitFor();
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
    await startWith(page, server.url, ["google_sheets"], { path: SHEETS_FORM });
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
));

Deno.test(scenario(
  "phone: nothing scrolls sideways at 375 and 390 px, run results wrap",
  async ({ server, newPage }) => {
    const page = await newPage({ width: 390, height: 844, dark: true });
    /** Each view at both widths: the page is laid out again for each. */
    const atBothWidths = async (view: string, check?: (width: number) => Promise<void>) => {
      for (const width of [375, 390]) {
        await page.setViewportSize({ width, height: 844 });
        await expectNoSidewaysScroll(page, `${view} at ${width}`);
        await check?.(width);
      }
    };
    await page.goto(server.url);
    await page.locator(".identity code").waitFor();
    await atBothWidths("first screen");
    await startWith(page, server.url, ["google_sheets"]);
    await expect(page.getByTestId("account")).toHaveCount(1);
    await atBothWidths("accounts");
    await page.goto(server.url + SHEETS_FORM);
    await fillSheetsForm(page);
    // The form uses the phone's width rather than squeezing beside the code view.
    await atBothWidths("action form", async (width) => {
      const box = await field(page, "Drive").boundingBox();
      ok(box && box.width >= width * 0.75, `the Drive field is ${box?.width} px wide at ${width}`);
    });
    await page.getByRole("button", { name: "Submit" }).click();
    await expect(page.getByTestId("run-result")).toContainText("Added 1 row");
    await atBothWidths("run result");
    await page.getByRole("button", { name: "Developer tools" }).click();
    await expect(page.getByTestId("devtools")).toBeVisible();
    await atBothWidths("developer tools", (width) => shot(page, `phone-${width}-result`));
  },
));
