/**
 * Run outcomes Pipedream documents, from the sandbox's answer switch over the
 * real wire: a run answered 200 with a `k: "error"` observation shows as
 * failed in the result view and the history; a run answered 202 with no body
 * shows as pending.
 */
import { answer } from "../backend/testing/fixtures.ts";
import { choose, scenario, shot, startWith } from "./browser.ts";
import { expect } from "./expect.ts";

Deno.test(scenario(
  "run outcomes: a failed run (200 with an error) and an accepted run (202) show as what they are",
  async ({ server, newPage }) => {
    const page = await newPage();
    await startWith(page, server.url, ["slack"]);

    const send = async (text: string) => {
      await page.goto(`${server.url}/?tab=run&app=slack&component=slack-send-message`);
      await choose(page, "Slack (sandbox) account", /@slack\.sandbox/);
      await choose(page, "Channel", "#general");
      await page.locator(".pd-field").filter({ has: page.locator("label", { hasText: /^Text/ }) })
        .locator("input, textarea").first().fill(text);
      await page.getByRole("button", { name: "Submit" }).click();
    };
    const history = page.getByTestId("run");

    await answer(server, {
      component: "slack-send-message",
      answer: "failed",
      message: "channel_is_archived",
    });
    await send("to an archived channel");
    const result = page.getByTestId("run-result");
    await expect(result).toContainText("Failed");
    await expect(result).toContainText("channel_is_archived");
    await expect(result.locator(".log-error")).toContainText("Error: channel_is_archived");
    await expect(history.first()).toContainText("Failed");
    await shot(page, "18-run-failed");

    // Only the run: the form's channel options still load.
    await answer(server, { component: "slack-send-message", answer: "accepted", calls: ["run"] });
    await send("later");
    await expect(result).toContainText("Pending");
    await expect(result).toContainText("Pipedream accepted the run; its result is not available yet.");
    await expect(history.first()).toContainText("Pending");
    await expect(history.nth(1)).toContainText("Failed");
    await shot(page, "19-run-pending");
  },
));
