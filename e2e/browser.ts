/**
 * Shared setup for the browser tests: Debian's Chromium driven by
 * playwright-core, a real app on a free port, screenshots under .artifacts/.
 */
import { type Browser, type BrowserContext, chromium, type Frame, type Page } from "playwright-core";
import { startTestServer, type TestServer } from "../backend/testing/harness.ts";

export const SCREENSHOTS = new URL("../.artifacts/screenshots/", import.meta.url).pathname;

export async function launch(): Promise<Browser> {
  return await chromium.launch({
    executablePath: Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

export async function withBrowser(
  fn: (
    ctx: {
      server: TestServer;
      browser: Browser;
      newPage: (opts?: { width?: number; dark?: boolean }) => Promise<Page>;
    },
  ) => Promise<void>,
): Promise<void> {
  await Deno.mkdir(SCREENSHOTS, { recursive: true });
  const server = await startTestServer();
  const browser = await launch();
  const contexts: BrowserContext[] = [];
  try {
    await fn({
      server,
      browser,
      async newPage(opts = {}) {
        const context = await browser.newContext({
          viewport: { width: opts.width ?? 1200, height: 900 },
          colorScheme: opts.dark ? "dark" : "light",
        });
        contexts.push(context);
        const page = await context.newPage();
        page.on("pageerror", (e) => console.error("page error:", e.message));
        return page;
      },
    });
  } finally {
    for (const c of contexts) await c.close();
    await browser.close();
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
  const field = page.locator(".pd-field").filter({ has: page.locator("label", { hasText: label }) }).first();
  await field.locator(".react-select__control").click();
  await page.getByRole("option", { name: option }).first().click();
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
  opts: { deny?: boolean } = {},
) {
  await openPicker(page);
  await pick(page, "#select-app-connect", app.slice(0, 5), appName);
  await page.getByRole("button", { name: "Connect account", exact: true }).click();
  const frame = page.frameLocator("iframe[title='Pipedream Connect']");
  await frame.getByRole("button", { name: opts.deny ? "Deny" : "Allow access" }).click();
}
