/**
 * Developer tools in a real browser: the SDK call inspector shows the
 * configure call a remote option made (and no secret), and the proxy request
 * builder calls a sandbox app's API through the server.
 */
import { ok } from "node:assert/strict";
import { choose, connectInDialog, shot, withBrowser } from "./browser.ts";
import { expect } from "./expect.ts";

Deno.test({
  name:
    "developer tools: the inspector shows configure calls without secrets; the proxy builder returns data",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    await withBrowser(async ({ server, newPage }) => {
      const page = await newPage();
      await page.goto(server.url);
      await connectInDialog(page, "slack", /Slack \(sandbox\)/);
      await expect(page.getByTestId("account").filter({ hasText: "Slack (sandbox)" })).toBeVisible();

      // A remote option loads: the browser client calls configure.
      await page.goto(`${server.url}/?tab=run&app=slack&component=slack-send-message`);
      await choose(page, "Slack (sandbox) account", /@slack\.sandbox/);
      await choose(page, "Channel", "#random");

      await page.getByRole("button", { name: "Developer tools" }).click();
      const inspector = page.getByTestId("inspector");
      await expect(inspector.getByTestId("sdk-call").filter({ hasText: "/configure" })).toBeVisible();
      await expect(inspector.getByTestId("sdk-call").filter({ hasText: "server" })).toBeVisible();
      const call = inspector.getByTestId("sdk-call").filter({ hasText: "/configure" }).first();
      await call.locator("summary").click();
      await expect(call).toContainText("#random");
      const text = (await inspector.textContent()) ?? "";
      const leak = text.match(/(ctok_|sbx_(at|rt|key|sec|oat)_)[A-Za-z0-9]{6,}/);
      ok(!leak, `no token or secret in the inspector: ${leak?.[0]}`);
      await shot(page, "15-sdk-inspector");

      // The proxy builder: the account's API through POST /api/proxy.
      const builder = page.getByTestId("proxy-builder");
      await builder.getByLabel("Path").fill("https://slack.com/api/conversations.list");
      await builder.getByRole("button", { name: "Send" }).click();
      const result = builder.getByTestId("proxy-result");
      await expect(result).toContainText("200");
      await expect(result).toContainText("sandbox-alerts");
      await shot(page, "16-proxy-builder");
    });
  },
});
