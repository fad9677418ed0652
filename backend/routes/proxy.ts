/**
 * "Make API requests with connected accounts", done the safe way: the server
 * calls the third-party API through Pipedream's Connect proxy, which injects
 * the account's credentials. The browser names an account it owns and a path;
 * it never sees a token. The third-party API's status comes back as it is,
 * except a 504: Pipedream ends requests slower than 30 s with one (docs:
 * connect/api-proxy, "Limits"), as does the SDK's own timeout
 * (upstream_errors.ts), and either is answered as the app's timeout error.
 * Responses over MAX_PROXY_RESPONSE_BYTES are refused rather than handed to a
 * browser.
 */
import { Hono } from "hono";
import { ProxyRequest, type ProxyResponse } from "../../shared/api.ts";
import { ApiError, notFound } from "../http/errors.ts";
import { readJson } from "../http/validate.ts";
import { redact } from "../../shared/redact.ts";
import { findUserAccount } from "../pipedream/accounts.ts";
import { isPipedreamError } from "../pipedream/sdk.ts";
import { userOf } from "../http/session.ts";
import type { AppEnv, RouteDeps } from "./types.ts";

/** Response headers worth showing; cookies and auth never leave the server. */
const SHOWN_HEADERS =
  /^(content-type|content-length|date|etag|last-modified|cache-control|x-ratelimit-[a-z-]+|retry-after|link|location)$/i;

/** Pipedream documents no size limit; this app holds a response in memory and sends it to a browser. */
export const MAX_PROXY_RESPONSE_BYTES = 10 * 1024 * 1024;

/**
 * The SDK's proxy client reads the whole response with the global fetch (it
 * takes no custom one), so the size is checked once it is read: by its
 * declared length, else by the JSON the browser would get.
 */
function assertWithinLimit(headers: Headers | undefined, body: unknown, limit: number): void {
  const declared = Number(headers?.get("content-length") ?? "NaN");
  const size = Number.isFinite(declared)
    ? declared
    : new TextEncoder().encode(typeof body === "string" ? body : JSON.stringify(body ?? null)).byteLength;
  if (size > limit) {
    const mb = limit >= 1024 * 1024 ? `${Math.round(limit / 1024 / 1024)} MB` : `${limit} bytes`;
    throw new ApiError(
      502,
      "upstream_response_too_large",
      `The API's response is larger than ${mb}, more than this app passes on; ask for less (a page, a filter).`,
    );
  }
}

function shownHeaders(headers: Headers | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  headers?.forEach((v, k) => {
    if (SHOWN_HEADERS.test(k)) out[k.toLowerCase()] = v;
  });
  return out;
}

export function proxyRoutes(deps: RouteDeps) {
  const limit = deps.maxProxyResponseBytes ?? MAX_PROXY_RESPONSE_BYTES;
  return new Hono<AppEnv>().post("/", async (c) => {
    const req = await readJson(c, ProxyRequest);
    const userId = userOf(c);
    await deps.limit(c, "proxyCalls");
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
      assertWithinLimit(rawResponse.headers, data, limit);
      out = {
        status: rawResponse.status,
        headers: shownHeaders(rawResponse.headers),
        body: redact(data ?? null),
      };
    } catch (err) {
      if (isPipedreamError(err) && err.statusCode === 504) {
        throw new ApiError(
          504,
          "upstream_timeout",
          "The API did not answer within 30 s, the Connect proxy's limit; try again, or ask for less.",
        );
      }
      // The third-party API's own 4xx/5xx is a result to show, not an app failure.
      if (isPipedreamError(err) && err.statusCode && err.statusCode !== 429 && err.rawResponse) {
        assertWithinLimit(err.rawResponse.headers, err.body, limit);
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
