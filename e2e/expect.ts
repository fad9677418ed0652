/**
 * Retrying assertions for playwright-core (which, unlike @playwright/test,
 * ships none): each retries until it holds or its timeout passes, then fails
 * with what it last saw.
 */
import type { Locator } from "playwright-core";
import { eventually } from "../backend/testing/eventually.ts";

type Opts = { timeout?: number };

/**
 * Quick at first (most waits end within a frame or two), then slower: every
 * attempt is a round trip through Chromium, and four scenarios polling every
 * 30 ms kept both cores of a small machine busy.
 */
const POLL_PAUSES = [30, 60, 120, 250] as const;

async function poll(what: string, check: () => Promise<{ ok: boolean; saw: string }>, opts: Opts = {}) {
  await eventually(async () => {
    const r = await check();
    if (!r.ok) throw new Error(`saw ${r.saw}`);
    return true;
  }, { timeoutMs: opts.timeout ?? 7000, intervalMs: POLL_PAUSES, what: `expected ${what}` });
}

export function expect(locator: Locator) {
  return {
    toBeVisible: (opts?: Opts) =>
      poll(`${locator} to be visible`, async () => {
        const visible = await locator.first().isVisible();
        return { ok: visible, saw: `${await locator.count()} match(es), visible=${visible}` };
      }, opts),
    toContainText: (text: string | RegExp, opts?: Opts) =>
      poll(`${locator} to contain ${text}`, async () => {
        // No match yet: say so now rather than wait inside textContent.
        if (await locator.count() === 0) return { ok: false, saw: "no match" };
        const t = (await locator.first().textContent({ timeout: 500 })) ?? "";
        return {
          ok: typeof text === "string" ? t.includes(text) : text.test(t),
          saw: JSON.stringify(t.slice(0, 300)),
        };
      }, opts),
    toHaveCount: (n: number, opts?: Opts) =>
      poll(`${locator} to have ${n} match(es)`, async () => {
        const c = await locator.count();
        return { ok: c === n, saw: `${c}` };
      }, opts),
  };
}
