/**
 * "Forget me" in the browser: asked for confirmation, it deletes the user's
 * accounts here and at Pipedream and starts over as someone new; cancelled,
 * it does nothing. Also: a run whose outcome was never recorded shows as
 * "Outcome unknown" in the history.
 */
import { equal, notEqual } from "node:assert/strict";
import { expect } from "./expect.ts";
import { scenario, shot, startWith } from "./browser.ts";

Deno.test(scenario(
  "Forget me: confirm, everything goes, a fresh identity; cancel keeps everything",
  async ({ server, newPage }) => {
    const page = await newPage();
    await startWith(page, server.url, ["slack"]);
    await expect(page.getByTestId("account").filter({ hasText: "Slack (sandbox)" })).toBeVisible();
    const who = async () => (await page.locator(".identity code").first().textContent()) ?? "";
    const before = await who();

    // A run left "running" by a process that died long ago.
    await server.db.execute({
      sql: `INSERT INTO action_runs (id, external_user_id, component_key, started_at, duration_ms, outcome,
          configured_props) VALUES ('run_lost', ?, 'slack-send-message', ?, 0, 'running', '{}')`,
      args: [before, new Date(Date.now() - 10 * 60_000).toISOString()],
    });
    await page.goto(`${server.url}/?tab=run`);
    await expect(page.getByTestId("runs")).toContainText("Outcome unknown");
    await page.goto(server.url);

    await page.locator(".identity").getByRole("button", { name: "Forget me" }).click();
    const dialog = page.getByRole("alertdialog");
    await expect(dialog).toContainText("cannot be undone");
    await shot(page, "forget-me-confirm");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(page.getByRole("alertdialog")).toHaveCount(0);
    equal(await who(), before, "cancelled: still the same user");

    await page.locator(".identity").getByRole("button", { name: "Forget me" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Forget me" }).click();
    await expect(page.getByText("No accounts yet.")).toBeVisible({ timeout: 10_000 });
    const after = await who();
    notEqual(after, before);
    const left = await server.db.execute({
      sql: "SELECT COUNT(*) AS n FROM sandbox_accounts WHERE external_user_id = ?",
      args: [before],
    });
    equal(Number(left.rows[0].n), 0, "the accounts are gone at Pipedream (the sandbox)");
    await shot(page, "forget-me-done");
  },
));
