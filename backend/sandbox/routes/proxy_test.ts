/**
 * The Connect proxy as Pipedream documents it, through the real SDK: full
 * URLs on an allowed domain or relative paths for fixed-domain apps, only
 * relative paths for an app whose domain depends on the account; refused
 * headers; the upstream status relayed; a slow upstream ends in a 504, an
 * oversized answer in a 502; 1,000 requests per 5 minutes per project.
 */
import { deepStrictEqual, equal, match, throws } from "node:assert/strict";
import { type PipedreamClient, PipedreamError } from "@pipedream/sdk";
import { forwardedHeaders } from "../proxy_rules.ts";
import type { ProxyLimits } from "./proxy.ts";
import { connectAccountViaSandbox, sandboxServerClient, standaloneSandbox } from "../testing.ts";

const USER = "proxy-user";

/** What the proxy answered, as the SDK reports it: the body, or the error status and body. */
async function outcome(call: Promise<unknown>): Promise<{ status: number; body: unknown }> {
  try {
    return { status: 200, body: await call };
  } catch (err) {
    if (err instanceof PipedreamError && err.statusCode) return { status: err.statusCode, body: err.body };
    throw err;
  }
}

async function withProxy(
  limits: Partial<ProxyLimits>,
  fn: (
    ctx: {
      pd: PipedreamClient;
      slack: string;
      desk: string;
      sbx: Awaited<ReturnType<typeof standaloneSandbox>>;
    },
  ) => Promise<void>,
  clock?: () => number,
) {
  const sbx = await standaloneSandbox({ proxyLimits: limits, ...(clock ? { clock: { now: clock } } : {}) });
  try {
    const pd = sandboxServerClient(sbx.url, "development");
    const token = async () => (await pd.tokens.create({ externalUserId: USER })).token;
    const slack = (await connectAccountViaSandbox(sbx.url, await token(), "slack")).accountId!;
    const desk = (await connectAccountViaSandbox(sbx.url, await token(), "acme_desk", {
      fields: { subdomain: "yourco", api_token: "sbx_key_desk12345" },
    })).accountId!;
    await fn({ pd, slack, desk, sbx });
  } finally {
    await sbx.close();
  }
}

Deno.test("proxy: full URLs on allowed domains or relative paths for fixed-domain apps, relative paths only for account-specific ones", async () => {
  await withProxy({}, async ({ pd, slack, desk }) => {
    const get = (accountId: string, url: string) =>
      outcome(pd.proxy.get({ url, externalUserId: USER, accountId }));

    const ok = await get(slack, "https://slack.com/api/auth.test");
    equal(ok.status, 200);
    equal((ok.body as { ok: boolean }).ok, true);

    // Relative to base_proxy_target_url (https://slack.com/api here), as the docs allow for a fixed domain.
    deepStrictEqual(await get(slack, "/auth.test"), ok);
    const foreign = await get(slack, "https://evil.example/steal");
    equal(foreign.status, 400);
    deepStrictEqual((foreign.body as { details: unknown }).details, { domain: ["not allowed for this app"] });
    equal((await get(slack, "http://slack.com/api/auth.test")).status, 400);
    equal((await get(slack, "https://slack.com:8443/api/auth.test")).status, 400);
    // On an allowed domain but outside the app's API: the upstream's own 404.
    equal((await get(slack, "https://slack.com/nothing")).status, 404);

    // Account-specific: relative paths resolve against the account's own domain.
    const created = await outcome(pd.proxy.post({
      url: "/api/v2/tickets",
      externalUserId: USER,
      accountId: desk,
      body: { ticket: { subject: "Printer on fire" } },
    }));
    equal(created.status, 200, JSON.stringify(created.body));
    equal(
      (created.body as { ticket: { url: string } }).ticket.url,
      "https://yourco.acme-desk.example/api/v2/tickets/1",
    );
    const listed = await get(desk, "/api/v2/tickets");
    deepStrictEqual((listed.body as { tickets: Array<{ subject: string }> }).tickets.map((t) => t.subject), [
      "Printer on fire",
    ]);
    const full = await get(desk, "https://yourco.acme-desk.example/api/v2/tickets");
    equal(full.status, 400);
    match((full.body as { error: string }).error, /depends on the account: send a relative path/);
    equal((await get(desk, "api/v2/tickets")).status, 400, "a path must start with /");
  });
});

Deno.test("proxy: refused headers are a 400; the upstream status is relayed; slow is a 504, too large a 502", async () => {
  await withProxy({ timeoutMs: 300, maxResponseBytes: 150 }, async ({ pd, slack, sbx }) => {
    const get = (url: string, headers?: Record<string, string>) =>
      // No retries: the SDK would repeat a 5xx, and each fault answers once.
      outcome(pd.proxy.get({ url, externalUserId: USER, accountId: slack, headers }, { maxRetries: 0 }));

    const cookie = await get("https://slack.com/api/auth.test", { Cookie: "a=1" });
    equal(cookie.status, 400);
    match((cookie.body as { error: string }).error, /refuses the cookie header/);
    equal((await get("https://slack.com/api/auth.test", { "Sec-Fetch-Mode": "cors" })).status, 400);
    equal((await get("https://slack.com/api/auth.test", { "X-Note": "café" })).status, 200);
    // HTTP cannot carry these, so no client sends them; the rule still holds.
    throws(
      () => forwardedHeaders([["x-pd-proxy-x-note", "a\r\nSet-Cookie: x=1"]]),
      /Latin-1 text without CR/,
    );
    throws(() => forwardedHeaders([["x-pd-proxy-x-note", "snowman ☃"]]), /Latin-1/);

    sbx.sandbox.faults.add({ upstream: "slack", status: 503, times: 1 });
    deepStrictEqual(await get("https://slack.com/api/auth.test"), {
      status: 503,
      body: { error: "Upstream failure (sandbox fault)" },
    });
    sbx.sandbox.faults.add({ upstream: "slack", delayMs: 1500, times: 1 });
    const slow = await get("https://slack.com/api/auth.test");
    equal(slow.status, 504);
    match((slow.body as { error: string }).error, /slack\.com did not answer within 0\.3 s/);
    // The channel list is larger than this sandbox's 150-byte cap.
    const big = await get("https://slack.com/api/conversations.list");
    equal(big.status, 502);
    match((big.body as { error: string }).error, /larger than the proxy's 150 bytes/);
  });
});

Deno.test("proxy: past the project's requests per window, a 429 Throttled that says when to come back", async () => {
  let now = Date.parse("2026-11-26T10:00:00Z");
  await withProxy({ perWindow: 3, windowMs: 5 * 60_000 }, async ({ pd, slack, desk }) => {
    const get = (accountId: string, url: string) =>
      outcome(pd.proxy.get({ url, externalUserId: USER, accountId }, { maxRetries: 0 }));
    for (let i = 0; i < 3; i++) {
      equal((await get(i === 1 ? desk : slack, i === 1 ? "/api/v2/tickets" : "/auth.test")).status, 200);
    }
    // Per project: another account's request counts against the same budget.
    const throttledAnswer = await pd.proxy.get({
      url: "/api/v2/tickets",
      externalUserId: USER,
      accountId: desk,
    }, {
      maxRetries: 0,
    }).withRawResponse().then(() => undefined, (err: PipedreamError) => err);
    equal(throttledAnswer?.statusCode, 429);
    deepStrictEqual(throttledAnswer?.body, { error: "Throttled" });
    const headers = throttledAnswer?.rawResponse?.headers;
    equal(headers?.get("retry-after"), "300");
    equal(headers?.get("x-ratelimit-limit"), "3");
    equal(headers?.get("x-ratelimit-remaining"), "0");
    now += 60_000;
    const later = await get(slack, "/auth.test");
    equal(later.status, 429, "still inside the window");
    now += 4 * 60_000;
    equal((await get(slack, "/auth.test")).status, 200, "a new window");
  }, () => now);
});
