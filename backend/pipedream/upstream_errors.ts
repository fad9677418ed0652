/**
 * Maps failures of Pipedream calls to API errors: 4xx pass through with
 * Pipedream's message, 429 keeps its Retry-After, 5xx become 502 and
 * timeouts 504. Nothing from a failed response but its message is shown.
 * (http/error_mapping.ts applies it with every other mapping.)
 */
import { isPipedreamError, isPipedreamTimeoutError } from "./sdk.ts";
import { ApiError } from "../http/errors.ts";

function upstreamMessage(body: unknown, fallback: string): string {
  if (typeof body === "string" && body.trim()) return body.slice(0, 500);
  if (body && typeof body === "object") {
    const b = body as Record<string, unknown>;
    const e = b.error;
    if (typeof e === "string") return e.slice(0, 500);
    if (e && typeof e === "object" && typeof (e as Record<string, unknown>).message === "string") {
      return String((e as Record<string, unknown>).message).slice(0, 500);
    }
    if (typeof b.message === "string") return b.message.slice(0, 500);
  }
  return fallback;
}

/**
 * How long Pipedream asks us to wait: `Retry-After` (seconds, or an HTTP
 * date), else `X-RateLimit-Reset` (documented as the Unix time the limit
 * resets, on 429s).
 */
export function retryAfterSeconds(err: unknown, now = Date.now()): number | undefined {
  if (!isPipedreamError(err)) return undefined;
  const headers = err.rawResponse?.headers;
  const raw = headers?.get?.("retry-after");
  if (raw) {
    const n = Number(raw);
    if (Number.isFinite(n) && n >= 0) return Math.ceil(n);
    const date = Date.parse(raw);
    if (!Number.isNaN(date)) return Math.max(0, Math.ceil((date - now) / 1000));
  }
  const reset = Number(headers?.get?.("x-ratelimit-reset") ?? "NaN");
  return Number.isFinite(reset) && reset > 0 ? Math.max(0, Math.ceil(reset - now / 1000)) : undefined;
}

/** The API error a failed Pipedream call is answered with; undefined for anything else. */
export function upstreamError(err: unknown): ApiError | undefined {
  // The SDK aborts a timed-out request with the reason "timeout", which
  // surfaces as a cause rather than as PipedreamTimeoutError; its proxy
  // client drops the cause and keeps only the message (the JSON "timeout").
  if (
    isPipedreamTimeoutError(err) ||
    (isPipedreamError(err) && err.statusCode === undefined &&
      (err.cause === "timeout" || err.message === '"timeout"'))
  ) {
    return new ApiError(504, "upstream_timeout", "Pipedream did not answer in time; try again.");
  }
  if (isPipedreamError(err)) {
    const status = err.statusCode;
    if (status === 429) {
      const after = retryAfterSeconds(err) ?? 1;
      return new ApiError(
        429,
        "upstream_rate_limited",
        `Pipedream is rate limiting requests; try again in ${after} s.`,
        { "Retry-After": String(after) },
      );
    }
    if (status === 401 || status === 403) {
      // The app's own credentials failed: not the browser user's fault, and
      // their detail is not theirs to see.
      return new ApiError(502, "upstream_auth", "The app could not authenticate with Pipedream.");
    }
    if (status !== undefined && status >= 400 && status < 500) {
      return new ApiError(
        status as 400,
        status === 404 ? "not_found" : "upstream_rejected",
        upstreamMessage(err.body, `Pipedream answered ${status}`),
      );
    }
    if (status !== undefined && status >= 500) {
      return new ApiError(502, "upstream_error", `Pipedream failed (${status}); try again shortly.`);
    }
    return new ApiError(502, "upstream_unreachable", "Pipedream could not be reached; try again shortly.");
  }
  return undefined;
}
