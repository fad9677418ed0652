/**
 * "Make API requests with connected accounts", done the safe way: the server
 * calls the third-party API through Pipedream's Connect proxy, which injects
 * the account's credentials. The browser names an account it owns and a path;
 * it never sees a token.
 */
import { PipedreamError } from "@pipedream/sdk";
import { Hono } from "hono";
import { ProxyRequest, type ProxyResponse } from "../../shared/api.ts";
import { notFound } from "../http/errors.ts";
import { readJson } from "../http/validate.ts";
import { redact } from "../lib/redact.ts";
import { findUserAccount } from "../pipedream/accounts.ts";
import type { AppEnv, RouteDeps } from "./types.ts";

/** Response headers worth showing; cookies and auth never leave the server. */
const SHOWN_HEADERS =
  /^(content-type|content-length|date|etag|last-modified|cache-control|x-ratelimit-[a-z-]+|retry-after|link|location)$/i;

function shownHeaders(headers: Headers | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  headers?.forEach((v, k) => {
    if (SHOWN_HEADERS.test(k)) out[k.toLowerCase()] = v;
  });
  return out;
}

export function proxyRoutes(deps: RouteDeps) {
  return new Hono<AppEnv>().post("/", async (c) => {
    const req = await readJson(c, ProxyRequest);
    const userId = c.get("externalUserId");
    await deps.spend("proxyCalls", deps.limits.proxyCalls, userId);
    if (!await findUserAccount(deps.pipedream, userId, req.accountId)) throw notFound("Account");
    const base = { url: req.path, externalUserId: userId, accountId: req.accountId, headers: req.headers };
    const body = (req.body ?? {}) as Record<string, unknown>;
    const p = deps.pipedream.proxy;
    const call = () => {
      switch (req.method) {
        case "GET":
          return p.get(base);
        case "DELETE":
          return p.delete(base);
        case "POST":
          return p.post({ ...base, body });
        case "PUT":
          return p.put({ ...base, body });
        case "PATCH":
          return p.patch({ ...base, body });
      }
    };
    let out: ProxyResponse;
    try {
      const { data, rawResponse } = await call().withRawResponse();
      out = {
        status: rawResponse.status,
        headers: shownHeaders(rawResponse.headers),
        body: redact(data ?? null),
      };
    } catch (err) {
      // The third-party API's own 4xx/5xx is a result to show, not an app failure.
      if (err instanceof PipedreamError && err.statusCode && err.statusCode !== 429 && err.rawResponse) {
        out = {
          status: err.statusCode,
          headers: shownHeaders(err.rawResponse.headers),
          body: redact(err.body ?? null),
        };
      } else throw err;
    }
    return c.json(out);
  });
}
