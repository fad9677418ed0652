import { equal } from "node:assert/strict";
import { toApiError } from "../http/error_mapping.ts";
import { retryAfterSeconds } from "./upstream_errors.ts";
import { loadSdk } from "./sdk.ts";

// The SDK as the app loads it (pipedream/sdk.ts): its errors are only recognised once it is.
const { PipedreamError } = await loadSdk();

const throttled = (headers: Record<string, string>) =>
  new PipedreamError({
    statusCode: 429,
    body: { error: "Throttled" },
    rawResponse: {
      headers: new Headers(headers),
      redirected: false,
      status: 429,
      statusText: "",
      type: "basic",
      url: "",
    },
  });

Deno.test("the wait comes from Retry-After (seconds or a date), else X-RateLimit-Reset", () => {
  const now = Date.parse("2026-11-25T12:00:00Z");
  equal(retryAfterSeconds(throttled({ "retry-after": "7" }), now), 7);
  equal(retryAfterSeconds(throttled({ "retry-after": "Wed, 25 Nov 2026 12:00:30 GMT" }), now), 30);
  equal(retryAfterSeconds(throttled({ "x-ratelimit-reset": String(now / 1000 + 12) }), now), 12);
  equal(retryAfterSeconds(throttled({}), now), undefined);
});

Deno.test("a 429 tells the user when to try again", () => {
  const limited = toApiError(throttled({ "retry-after": "9" }));
  equal(limited.status, 429);
  equal(limited.headers["Retry-After"], "9");
  equal(limited.message, "Pipedream is rate limiting requests; try again in 9 s.");
});
