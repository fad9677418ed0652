/**
 * Faults on demand, for reliability tests, set through the admin route
 * (sandbox only). Three kinds:
 * - API faults: chosen routes answer 429 with Retry-After, a 5xx, or slowly.
 * - Upstream faults: a catalog app's own API, reached through the Connect
 *   proxy, answers slowly or with an error status (what the proxy then does
 *   with it, a 504 after 30 s or the status relayed, is the sandbox's own).
 * - Delivery faults, on the webhooks the sandbox sends: `drop` (not sent at
 *   all, as if the receiver were down: Pipedream does not retry), `duplicate`
 *   (sent twice, byte for byte: a replay), `retry` (resent, byte for byte,
 *   while the receiver fails: Pipedream was not observed to do this), `sign`
 *   (Connect webhooks signed with the project key; unsigned by default, as
 *   documented).
 */
import { PipedreamApiError } from "./http.ts";
import type { ApiFault, DeliveryFault, DeliveryFaultKind, FaultSpec, UpstreamFault } from "./switches.ts";

/** Requests per window a throttled answer claims unless told (Pipedream documents 1,000 per 5 minutes for the proxy). */
const RATE_LIMIT = 1000;

/**
 * A 429 as the OpenAPI document gives it: `{"error":"Throttled"}` with
 * integer `Retry-After` (seconds) and `X-RateLimit-Limit`, `-Remaining`
 * (0 when throttled) and `-Reset` (the Unix time it resets).
 */
export function throttled(retryAfterSeconds: number, nowMs: number, limit = RATE_LIMIT): PipedreamApiError {
  return new PipedreamApiError(429, "Throttled", undefined, {
    "Retry-After": String(retryAfterSeconds),
    "X-RateLimit-Limit": String(limit),
    "X-RateLimit-Remaining": "0",
    "X-RateLimit-Reset": String(Math.ceil(nowMs / 1000) + retryAfterSeconds),
  });
}

type Counted<T> = T & { remaining: number };

function takeFrom<T extends { times?: number }>(list: Counted<T>[], pick: (f: T) => boolean) {
  const f = list.find(pick);
  if (!f) return { list, fault: undefined };
  f.remaining--;
  return { list: f.remaining <= 0 ? list.filter((x) => x !== f) : list, fault: f };
}

export class Faults {
  #api: Counted<ApiFault>[] = [];
  #deliveries: Counted<DeliveryFault>[] = [];
  #upstream: Counted<UpstreamFault>[] = [];

  add(spec: FaultSpec): void {
    const remaining = spec.times ?? Infinity;
    if ("delivery" in spec) this.#deliveries.push({ ...spec, remaining });
    else if ("upstream" in spec) this.#upstream.push({ ...spec, remaining });
    else this.#api.push({ ...spec, remaining });
  }

  clear(): void {
    this.#api = [];
    this.#deliveries = [];
    this.#upstream = [];
  }

  list(): FaultSpec[] {
    return [...this.#api, ...this.#deliveries, ...this.#upstream].map(({ remaining: _r, ...f }) => f);
  }

  /** The API fault to apply to this request, if any (and counts it down). */
  take(method: string, path: string): ApiFault | undefined {
    const { list, fault } = takeFrom(
      this.#api,
      (f) => path.includes(f.match) && (!f.method || f.method === method),
    );
    this.#api = list;
    return fault;
  }

  /** Whether a delivery fault of this kind applies to a delivery (and counts it down). */
  takeDelivery(kind: DeliveryFaultKind, target: { url: string; deploymentId?: string }): boolean {
    const { list, fault } = takeFrom(
      this.#deliveries,
      (f) =>
        f.delivery === kind &&
        (!f.match || target.url.includes(f.match) || Boolean(target.deploymentId?.includes(f.match))),
    );
    this.#deliveries = list;
    return fault !== undefined;
  }

  /** The fault of this app's own API for one proxied request, if any (and counts it down). */
  takeUpstream(app: string): UpstreamFault | undefined {
    const { list, fault } = takeFrom(this.#upstream, (f) => f.upstream === app);
    this.#upstream = list;
    return fault;
  }
}
