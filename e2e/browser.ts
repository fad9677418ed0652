/**
 * Shared setup for the browser tests: Debian's Chromium driven by
 * playwright-core, a real app on a free port, screenshots under .artifacts/.
 *
 * One Chromium serves every browser test: the test command starts it
 * (`launchServer`) and passes its endpoint in `E2E_BROWSER_WS`; each scenario
 * gets its own browser context (cookies, storage: a new user). Run alone
 * (`deno test -A e2e/x_test.ts`), a test launches its own.
 *
 * Every page's console is watched: an error there fails the test, except the
 * network errors a scenario causes on purpose (`allowConsole`).
 */
import { ok } from "node:assert/strict";
import { existsSync } from "node:fs";
import { type Browser, type BrowserContext, chromium, type Frame, type Page } from "playwright-core";
import { connectAccountViaSandbox } from "../backend/sandbox/testing.ts";
import { startTestServer, type TestServer } from "../backend/testing/harness.ts";

export const SCREENSHOTS = new URL("../.artifacts/screenshots/", import.meta.url).pathname;
export const BROWSER_WS_ENV = "E2E_BROWSER_WS";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
/**
 * Debian's `chromium-headless-shell` when it is installed: the same Chromium
 * without the browser's UI layer, which is what Playwright itself runs for
 * headless tests (the browser process then costs about half as much CPU, some
 * 5 s of a test run on two cores); else Debian's `chromium`.
 */
export const HEADLESS_SHELL = "/usr/bin/chromium-headless-shell";
export const chromiumPath = () =>
  Deno.env.get("CHROMIUM_PATH") ?? (existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : "/usr/bin/chromium");

export async function launch(): Promise<Browser> {
  return await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
}

/**
 * The test command's shared Chromium, or a new one when a test runs alone.
 * Closing a shared one only disconnects from it.
 */
export async function browserForTests(): Promise<{ browser: Browser; own: boolean }> {
  const ws = Deno.env.get(BROWSER_WS_ENV);
  if (ws) return { browser: await chromium.connect(ws), own: false };
  return { browser: await launch(), own: true };
}

export type PageOptions = {
  width?: number;
  height?: number;
  dark?: boolean;
  /** Console errors this page is expected to log (a fault the test injected, a refused request). */
  allowConsole?: RegExp;
};
export type TestPage = Page & { consoleErrors: string[] };

export type Scenario = (
  ctx: {
    server: TestServer;
    browser: Browser;
    newPage: (opts?: PageOptions) => Promise<TestPage>;
  },
) => Promise<void>;

/**
 * One browser scenario, for `Deno.test(scenario(name, fn))` (called in the
 * test file, so reports name that file). The browser outlives the test's op
 * and resource sanitizers.
 */
export function scenario(name: string, fn: Scenario): Deno.TestDefinition {
  return { name, sanitizeOps: false, sanitizeResources: false, fn: () => withBrowser(fn) };
}

export async function withBrowser(fn: Scenario): Promise<void> {
  await Deno.mkdir(SCREENSHOTS, { recursive: true });
  const server = await startTestServer();
  const { browser, own } = await browserForTests();
  const contexts: BrowserContext[] = [];
  const pages: TestPage[] = [];
  try {
    await fn({
      server,
      browser,
      async newPage(opts = {}) {
        const context = await browser.newContext({
          viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 },
          colorScheme: opts.dark ? "dark" : "light",
          // No spinner turning while a scenario waits: an animation repaints every frame, for nothing a test reads.
          reducedMotion: "reduce",
        });
        contexts.push(context);
        const page = await context.newPage() as TestPage;
        page.consoleErrors = [];
        const note = (text: string) => {
          if (!opts.allowConsole?.test(text)) page.consoleErrors.push(text);
        };
        // Chromium's "Failed to load resource" names no URL: say which, from the response.
        const failed: string[] = [];
        page.on("response", (r) => {
          if (r.status() >= 400) failed.push(`${r.status()} ${r.request().method()} ${r.url()}`);
        });
        page.on("console", (m) => {
          if (m.type() !== "error") return;
          const text = m.text();
          note(text.startsWith("Failed to load resource") ? `${text} [${failed.shift() ?? "?"}]` : text);
        });
        page.on("pageerror", (e) => note(`page error: ${e.message}`));
        pages.push(page);
        return page;
      },
    });
    const errors = pages.flatMap((p) => p.consoleErrors);
    ok(errors.length === 0, `no console errors, but saw:\n${errors.join("\n")}`);
  } finally {
    for (const c of contexts) await c.close().catch(() => {});
    if (own) await browser.close();
    else await browser.close().catch(() => {}); // disconnects; the shared Chromium stays
    await server.close();
  }
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
}

/** Picks an option in a connect-react field (a react-select) found by its label. */
export async function choose(
  page: Page | Frame,
  label: string | RegExp,
  option: string | RegExp,
): Promise<void> {
  await field(page, label).locator(".react-select__control").click();
  await page.getByRole("option", { name: option }).first().click();
}

/** A connect-react field, by its label. */
export function field(page: Page | Frame, label: string | RegExp) {
  return page.locator(".pd-field").filter({ has: page.locator("label", { hasText: label }) }).first();
}

/** Picks in one of the app's own selects (SelectApp / SelectComponent) by typing. */
export async function pick(
  page: Page,
  container: string,
  text: string,
  option: string | RegExp,
): Promise<void> {
  const input = page.locator(`${container} input`).first();
  await input.click();
  await input.fill(text);
  await page.getByRole("option", { name: option }).first().click();
}

/** Opens the Accounts tab with its app picker. */
export async function openPicker(page: Page) {
  await page.getByRole("tab", { name: "Accounts" }).click();
  await page.locator("#connect-title").waitFor();
  const open = page.getByRole("button", { name: "Connect an account", exact: true });
  if (await open.isVisible()) await open.click();
}

/** Connects an app through the embedded Connect dialog (the sandbox's iframe). */
export async function connectInDialog(
  page: Page,
  app: string,
  appName: RegExp,
  opts: { deny?: boolean; again?: boolean; apiKey?: string } = {},
) {
  await openPicker(page);
  await pick(page, "[data-testid=select-app]", app.slice(0, 5), appName);
  await page.getByRole("button", { name: "Connect account", exact: true }).click();
  if (opts.again) {
    await page.getByRole("dialog").getByRole("button", { name: "Connect another account" }).click();
  }
  const frame = page.frameLocator("iframe[title='Pipedream Connect']");
  if (opts.apiKey) {
    await frame.getByLabel("API key").fill(opts.apiKey);
    await frame.getByRole("button", { name: "Connect", exact: true }).click();
  } else {
    await frame.getByRole("button", { name: opts.deny ? "Deny" : "Allow access" }).click();
  }
}

const SANDBOX_APPS = {
  google_sheets: { name: /Google Sheets \(sandbox\)/ },
  slack: { name: /Slack \(sandbox\)/ },
  acme_crm: { name: /Acme CRM \(sandbox\)/, apiKey: "sbx_key_demo1234" },
};

/**
 * A new user with these sandbox apps connected, on the page at `path`.
 * Scenarios about something else set this up the quick way, as the page and
 * the Connect page would (the session, a token, the sandbox's authorize),
 * then load the app once; pass `{ inDialog: true }` to click through the
 * Connect dialog instead.
 */
export async function startWith(
  page: Page,
  url: string,
  apps: Array<keyof typeof SANDBOX_APPS>,
  opts: { inDialog?: boolean; path?: string } = {},
) {
  if (opts.inDialog) {
    await page.goto(url);
    for (const [i, app] of apps.entries()) {
      const { name, apiKey } = SANDBOX_APPS[app] as { name: RegExp; apiKey?: string };
      await connectInDialog(page, app, name, { apiKey });
      await page.getByTestId("account").nth(i).waitFor();
    }
    if (opts.path) await page.goto(url + opts.path);
    return;
  }
  // The context's cookies are the page's: the session started here is the one the page will have.
  const post = (path: string, data: unknown) =>
    page.request.post(`${url}${path}`, { data, headers: { origin: url } });
  ok((await post("/api/session", {})).ok(), "a session starts");
  for (const app of apps) {
    const { apiKey } = SANDBOX_APPS[app] as { apiKey?: string };
    const { token } = await (await post("/api/connect/token", { fresh: true })).json();
    const done = await connectAccountViaSandbox(`${url}/sandbox`, token, app, { apiKey });
    ok(done.accountId, `connecting ${app}: ${done.error}`);
  }
  await page.goto(url + (opts.path ?? "/"));
  await page.locator(".identity code").waitFor();
}

/** The Google Sheets action's form, as a link. */
export const SHEETS_FORM = "/?tab=run&app=google_sheets&component=google_sheets-add-single-row";

/** Fills the Google Sheets action's form: drive, spreadsheet, worksheet and a row. */
export async function fillSheetsForm(page: Page) {
  await choose(page, "Drive", "My Drive");
  await choose(page, "Spreadsheet", "Sales pipeline 2026");
  await choose(page, "Worksheet", /^Leads/);
  const row = field(page, "Row");
  await row.getByPlaceholder("Key").first().fill("Name");
  await row.getByPlaceholder("Value").first().fill("Ada Lovelace");
}

let axeSource: string | undefined;

/**
 * axe-core's critical and serious violations on the page as it is now
 * (injected through the DevTools protocol, which the page's CSP does not
 * govern). Returns one line per violation: rule, impact, and where.
 */
export async function axeViolations(page: Page, rules?: string[]): Promise<string[]> {
  axeSource ??= await Deno.readTextFile(new URL("../node_modules/axe-core/axe.min.js", import.meta.url));
  await page.evaluate(axeSource);
  const found = await page.evaluate(async (rules: string[] | null) => {
    // deno-lint-ignore no-explicit-any
    const axe = (globalThis as any).axe;
    const r = await axe.run(document, {
      resultTypes: ["violations"],
      ...(rules ? { runOnly: { type: "rule", values: rules } } : {}),
    });
    // deno-lint-ignore no-explicit-any
    return r.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      // deno-lint-ignore no-explicit-any
      targets: v.nodes.slice(0, 4).map((n: any) =>
        `${n.target.join(" ")} ${n.failureSummary?.split("\n")[1] ?? ""}`
      ),
    }));
  }, rules ?? null);
  return found
    .filter((v: { impact: string }) => v.impact === "critical" || v.impact === "serious")
    .map((v: { id: string; impact: string; targets: string[] }) =>
      `${v.id} (${v.impact}): ${v.targets.join(" | ")}`
    );
}

/** Fails with axe-core's findings when the page has any critical or serious violation (of `rules`, or all). */
export async function expectAccessible(page: Page, view: string, rules?: string[]): Promise<void> {
  const v = await axeViolations(page, rules);
  ok(v.length === 0, `axe-core on ${view}:\n${v.join("\n")}`);
}

/** The page is no wider than its viewport. */
export async function expectNoSidewaysScroll(page: Page, view: string): Promise<void> {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: innerWidth,
  }));
  ok(scroll <= width, `${view}: the page is ${scroll} px wide in a ${width} px viewport`);
}
