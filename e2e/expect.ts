/**
 * Retrying assertions for playwright-core (which, unlike @playwright/test,
 * ships none): each retries until it holds or its timeout passes, then fails
 * with what it last saw.
 */
import type { Locator } from "playwright-core";
import { eventually } from "../backend/testing/eventually.ts";

type Opts = { timeout?: number };

async function poll(what: string, check: () => Promise<{ ok: boolean; saw: string }>, opts: Opts = {}) {
  await eventually(async () => {
    const r = await check();
    if (!r.ok) throw new Error(`saw ${r.saw}`);
    return true;
  }, { timeoutMs: opts.timeout ?? 7000, intervalMs: 30, what: `expected ${what}` });
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
