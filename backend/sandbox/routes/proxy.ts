/**
 * `/v1/connect/proxy/:url64` (`connect:proxy`): a request to the account's
 * app, with the account's credentials added by the sandbox, answered by the
 * app's own small API (catalog). Which URLs and headers it takes:
 * proxy_rules.ts. Like Pipedream's (docs: connect/api-proxy, "Limits"), it
 * takes 1,000 requests per 5 minutes per project (then a 429), relays the
 * upstream status and body, and ends a request the upstream has not answered
 * within 30 s with a 504; a response larger than the size cap (10 MB) is
 * refused with a 502 (our choice: no limit is documented).
 */
import { Hono } from "hono";
import { z } from "zod";
import { findApp } from "../catalog/index.ts";
import type { ProxyResult } from "../catalog/types.ts";
import { actingOwner, inEnvironment } from "../environment.ts";
import { throttled } from "../faults.ts";
import { notFound, PipedreamApiError, type SandboxEnv } from "../http.ts";
import { query } from "../validate.ts";
import { decodeProxyUrl, forwardedHeaders, proxyTarget } from "../proxy_rules.ts";
import { findAccount } from "../store.ts";
import type { SandboxDeps } from "./types.ts";

const ProxyQuery = z.object({ external_user_id: z.string().min(1), account_id: z.string().min(1) })
  .passthrough();

export type ProxyLimits = {
  timeoutMs: number;
  maxResponseBytes: number;
  /** Requests per project per window (`windowMs`). */
  perWindow: number;
  windowMs: number;
};

/** Pipedream's documented limits, and the sandbox's size cap. */
export const PROXY_LIMITS: ProxyLimits = {
  timeoutMs: 30_000,
  maxResponseBytes: 10 * 1024 * 1024,
  perWindow: 1000,
  windowMs: 5 * 60_000,
};

/**
 * The project's proxy requests in fixed windows (the docs give the rate,
 * not how the window moves: a fixed one is our choice). The sandbox serves
 * one project, so one counter, kept in memory: a restart forgets it.
 */
function proxyRateLimit(clock: { now(): number }, limits: ProxyLimits) {
  let windowStart = 0;
  let used = 0;
  return () => {
    const now = clock.now();
    if (now - windowStart >= limits.windowMs) {
      windowStart = now;
      used = 0;
    }
    if (++used > limits.perWindow) {
      throw throttled(
        Math.max(1, Math.ceil((windowStart + limits.windowMs - now) / 1000)),
        now,
        limits.perWindow,
      );
    }
  };
}

/** The upstream's answer, or undefined when it took longer than `ms` (a fault may slow or fail it first). */
async function withinTime(answer: () => Promise<ProxyResult>, ms: number): Promise<ProxyResult | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([answer(), late]);
  } finally {
    clearTimeout(timer);
  }
}

export function proxyRoutes({ db, clock, guards, context, faults, proxyLimits }: SandboxDeps) {
  const countRequest = proxyRateLimit(clock, proxyLimits);
  return new Hono<SandboxEnv>()
    .use(guards.signedIn, inEnvironment, guards.scoped("connect:proxy"))
    .all("/:url64", query(ProxyQuery), async (c) => {
      countRequest();
      const q = c.req.valid("query");
      const owner = actingOwner(c, q.external_user_id)!;
      const a = await findAccount(db, owner.environment, q.account_id);
      if (!a || a.externalUserId !== owner.externalUserId) throw notFound("Account not found");
      const app = findApp(a.app)!;
      const headers = forwardedHeaders(c.req.raw.headers);
      const { target, path } = proxyTarget(app, a, decodeProxyUrl(c.req.param("url64")));
      let body: unknown = undefined;
      if (!["GET", "DELETE", "HEAD"].includes(c.req.method)) {
        const text = await c.req.text();
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          // Not JSON: the app's API gets the text as sent.
          body = text;
        }
      }
      const fault = faults.takeUpstream(app.slug);
      const result = await withinTime(async () => {
        if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
        if (fault?.status) {
          return { status: fault.status, body: { error: "Upstream failure (sandbox fault)" } };
        }
        return await app.api(context(owner, {}, []), a, {
          method: c.req.method,
          path,
          query: target.searchParams,
          headers,
          body,
        });
      }, proxyLimits.timeoutMs);
      if (!result) {
        throw new PipedreamApiError(
          504,
          `${target.host} did not answer within ${proxyLimits.timeoutMs / 1000} s, the Connect proxy's limit`,
        );
      }
      const text = JSON.stringify(result.body ?? null);
      if (new TextEncoder().encode(text).byteLength > proxyLimits.maxResponseBytes) {
        throw new PipedreamApiError(
          502,
          `${target.host}'s response is larger than the proxy's ${proxyLimits.maxResponseBytes} bytes`,
        );
      }
      return c.body(text, result.status as 200, { "content-type": "application/json" });
    });
}
