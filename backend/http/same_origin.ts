/**
 * CSRF defence for state-changing API calls: the request must come from this
 * app's own pages (Origin or Sec-Fetch-Site) and carry JSON. A cross-site HTML
 * form can send neither, so the SameSite=Lax cookie is not the only guard.
 */
import type { Context, MiddlewareHandler } from "hono";
import { ApiError } from "./errors.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** `allowedOrigin`: the configured origin the request came to (http/origin.ts), never its own Origin. */
// deno-lint-ignore no-explicit-any
export function sameOriginJson(allowedOrigin: (c: Context<any>) => string): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const own = allowedOrigin(c);
    const origin = c.req.header("origin");
    const site = c.req.header("sec-fetch-site");
    if (origin !== undefined ? origin !== own : site !== undefined && site !== "same-origin") {
      throw new ApiError(403, "cross_origin", "Cross-origin requests may not change state");
    }
    if (origin === undefined && site === undefined) {
      // No browser sends a state-changing fetch without either header; a
      // script without them is not a browser on our page.
      throw new ApiError(403, "cross_origin", "Missing Origin header");
    }
    const type = c.req.header("content-type") ?? "";
    if (c.req.method !== "DELETE" && !/^application\/json\s*(;|$)/i.test(type)) {
      throw new ApiError(
        403,
        "json_required",
        "State-changing requests must send Content-Type: application/json",
      );
    }
    await next();
  };
}
