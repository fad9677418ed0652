/**
 * Live mode says which Pipedream project environment it uses: the same
 * browser user, with an account connected in development, opens the app
 * configured for production and sees the environment named and no accounts,
 * as live Pipedream would show. (Two live-mode apps on one standalone
 * sandbox standing in for api.pipedream.com.)
 */
import { connectAccountViaSandbox } from "../backend/sandbox/testing.ts";
import { startLiveEnvironments } from "../backend/testing/harness.ts";
import { browserForTests, SCREENSHOTS, shot } from "./browser.ts";
import { expect } from "./expect.ts";

Deno.test({
  name: "live mode: the page names its project environment; the other environment's accounts are not shown",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    await Deno.mkdir(SCREENSHOTS, { recursive: true });
    // One database: the browser's session cookie (shared by both ports of 127.0.0.1) is one user in both.
    const live = await startLiveEnvironments();
    const { upstream, development, production } = live;
    const { browser } = await browserForTests();
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      page.on("pageerror", (e) => console.error("page error:", e.message));

      await page.goto(development.url!);
      await expect(page.getByTestId("project-environment")).toContainText("environment development");
      // Connect Slack in development, as the Connect page would (the live page is Pipedream's).
      const token = await page.request.post(`${development.url}/api/connect/token`, {
        data: {},
        headers: { origin: development.url! },
      });
      const { accountId } = await connectAccountViaSandbox(upstream.url, (await token.json()).token, "slack");
      await page.reload();
      await expect(page.getByTestId("account").filter({ hasText: accountId! })).toBeVisible();

      await page.goto(production.url!);
      await expect(page.getByTestId("project-environment")).toContainText("environment production");
      await expect(page.getByText("No accounts yet.")).toBeVisible();
      await shot(page, "17-live-production-environment");
    } finally {
      await browser.close();
      await live.close();
    }
  },
});
