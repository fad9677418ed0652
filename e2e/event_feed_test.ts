/**
 * The event feed in a browser: hostile and huge events (deep, wide, a
 * megabyte, markup) render bounded without breaking the page, and "Sync"
 * brings in an event whose delivery was dropped, marked recovered.
 */
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import type { Page } from "playwright-core";
import { connectAccountViaSandbox } from "../backend/sandbox/testing.ts";
import { deliver } from "../backend/webhooks/testdata/deliver.ts";
import { expect } from "./expect.ts";
import { scenario, shot } from "./browser.ts";

/** A same-origin call from the page, as the app's own frontend makes it. */
function pageFetch<T>(page: Page, path: string, body?: unknown): Promise<T> {
  return page.evaluate(async ([path, body]) => {
    const res = await fetch(path as string, {
      method: body === undefined ? "GET" : "POST",
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return await res.json();
  }, [path, body] as const) as Promise<T>;
}

Deno.test(scenario(
  "event feed: hostile and huge events render bounded; Sync recovers a dropped one",
  async ({ server, newPage }) => {
    const page = await newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(server.url);
    // The page starts its session on a first visit: wait for it before calling the API as it.
    await page.locator(".identity code").waitFor();
    const { externalUserId } = await pageFetch<{ externalUserId: string }>(page, "/api/session");
    const { token } = await pageFetch<{ token: string }>(page, "/api/connect/token", { fresh: true });
    const { accountId } = await connectAccountViaSandbox(`${server.url}/sandbox`, token, "slack");
    const slack = { authProvisionId: accountId };
    const deployed = await pageFetch<{ id: string }>(page, "/api/triggers", {
      triggerId: "slack-new-message",
      configuredProps: { slack, channel: "C01GENERAL" },
    });
    const key = String(
      (await server.db.execute({
        sql: "SELECT signing_key FROM deployed_triggers WHERE id = ?",
        args: [deployed.id],
      }))
        .rows[0].signing_key,
    );
    const target = { deploymentId: deployed.id, externalUserId, key };

    let deep: unknown = "bottom";
    for (let i = 0; i < 63; i++) deep = [deep];
    const wide = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]));
    const hostile = [
      { deep },
      wide,
      { blob: "x".repeat(900_000) },
      "</pre><script>window.pwned = true</script><img src=x onerror=window.pwned=true>",
      JSON.parse('{"__proto__": {"polluted": true}, "text": "proto"}'),
      { text: "a normal event" },
    ];
    for (const event of hostile) {
      const res = await deliver(server.url, target, JSON.stringify(event));
      equal(res.status, 200);
      await res.body?.cancel();
    }

    await page.goto(`${server.url}/?tab=triggers`);
    const events = page.getByTestId("event");
    await expect(events.filter({ hasText: "a normal event" })).toBeVisible();
    equal(await events.count(), hostile.length);
    // Every one opens; the big ones are cut with "Show more".
    for (let i = 0; i < hostile.length; i++) await events.nth(i).locator("summary").click();
    await expect(page.locator(".events pre").first()).toBeVisible();
    const huge = events.filter({ hasText: '"blob"' });
    await expect(huge.getByRole("button", { name: "Show more" })).toBeVisible();
    ok((await huge.locator("pre").textContent())!.length < 30_000);
    await huge.getByRole("button", { name: "Show more" }).click();
    await expect(huge.locator("pre")).toContainText("more chars");
    await expect(events.filter({ hasText: '"k0": 0' }).locator("pre")).toContainText("more keys");
    equal(await page.evaluate(() => (window as unknown as { pwned?: boolean }).pwned), undefined);
    equal(await page.evaluate(() => ({} as Record<string, unknown>).polluted), undefined);
    await expect(page.getByRole("heading", { name: "Live events" })).toBeVisible();
    await shot(page, "20-hostile-events-bounded");

    // A delivery dropped (the app was "down"): Sync fetches it from the event log.
    server.sandbox.faults.add({ delivery: "drop", times: 1 });
    await pageFetch(page, "/api/actions/run", {
      actionId: "slack-send-message",
      configuredProps: { slack, channel: "C01GENERAL", text: "missed while down" },
    });
    await server.sandbox.flushDeliveries();
    await page.getByRole("button", { name: "Sync" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Recovered 1 missed event from 1 trigger." }))
      .toBeVisible();
    const recovered = events.filter({ hasText: "missed while down" });
    await expect(recovered).toBeVisible();
    await expect(recovered.locator(".badge.recovered")).toBeVisible();
    await expect(recovered).toContainText("New Message In Channel");
    await shot(page, "21-event-recovered-by-sync");
    deepStrictEqual(errors, []);
  },
));
