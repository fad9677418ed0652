/**
 * Faults on demand, for reliability tests: chosen routes answer 429 with
 * Retry-After, a 5xx, or slowly. Set through the admin route (sandbox only).
 */
import { z } from "zod";
import { PipedreamApiError } from "./http.ts";

/** Requests per window a throttled answer claims (Pipedream documents 1,000 per 5 minutes for the proxy). */
const RATE_LIMIT = 1000;

/**
 * A 429 as the OpenAPI document gives it: `{"error":"Throttled"}` with
 * integer `Retry-After` (seconds) and `X-RateLimit-Limit`, `-Remaining`
 * (0 when throttled) and `-Reset` (the Unix time it resets).
 */
export function throttled(retryAfterSeconds: number, nowMs: number): PipedreamApiError {
  return new PipedreamApiError(429, "Throttled", undefined, {
    "Retry-After": String(retryAfterSeconds),
    "X-RateLimit-Limit": String(RATE_LIMIT),
    "X-RateLimit-Remaining": "0",
    "X-RateLimit-Reset": String(Math.ceil(nowMs / 1000) + retryAfterSeconds),
  });
}

export const FaultSpec = z.object({
  match: z.string().min(1).max(200),
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).optional(),
  status: z.union([z.literal(429), z.literal(500), z.literal(502), z.literal(503), z.literal(504)])
    .optional(),
  retryAfter: z.number().int().min(0).max(3600).optional(),
  delayMs: z.number().int().min(0).max(120_000).optional(),
  times: z.number().int().min(1).max(10_000).optional(),
}).strict().refine(
  (f) => f.status !== undefined || f.delayMs !== undefined,
  "give a status, a delayMs, or both",
);
export type FaultSpec = z.infer<typeof FaultSpec>;

export class Faults {
  #faults: Array<FaultSpec & { remaining: number }> = [];

  add(spec: FaultSpec): void {
    this.#faults.push({ ...spec, remaining: spec.times ?? Infinity });
  }

  clear(): void {
    this.#faults = [];
  }

  list(): FaultSpec[] {
    return this.#faults.map(({ remaining: _r, ...f }) => f);
  }

  /** The fault to apply to this request, if any (and counts it down). */
  take(method: string, path: string): FaultSpec | undefined {
    const f = this.#faults.find((f) => path.includes(f.match) && (!f.method || f.method === method));
    if (!f) return undefined;
    f.remaining--;
    if (f.remaining <= 0) this.#faults = this.#faults.filter((x) => x !== f);
    return f;
  }
}
