/**
 * Where the sandbox may send things: webhook deliveries and the browser's
 * redirect after Connect. Pipedream sends them wherever its server asks; the
 * embedded sandbox has one server, the app it is part of, so it sends them
 * only to that app's origins (our choice, stricter than Pipedream: an app
 * answering on an unexpected Host must not turn the sandbox into a request
 * forwarder, nor send users elsewhere). A standalone sandbox (tests, or an
 * API host for live-mode tests) sends anywhere, as Pipedream does.
 */
import { badRequest } from "./http.ts";

export type Destinations = {
  /** Whether a URL is on an origin the sandbox may send to. */
  allowed(url: string): boolean;
  /** Throws a 400 naming the field when `url` is not allowed. */
  check(field: string, url: string | undefined | null): void;
  /**
   * A fetch that refuses disallowed URLs, checked when a delivery is sent
   * (not only when its URL was stored: the app's address may have changed).
   */
  guardFetch(inner: typeof fetch): typeof fetch;
};

export function createDestinations(appOrigins?: () => readonly string[]): Destinations {
  const allowed = (url: string) => {
    if (!appOrigins) return true;
    let origin: string;
    try {
      origin = new URL(url).origin;
    } catch {
      return false;
    }
    return appOrigins().includes(origin);
  };
  return {
    allowed,
    check(field, url) {
      if (url && !allowed(url)) {
        throw badRequest(
          `${field}: the embedded sandbox sends webhooks and redirects only to this app (${
            appOrigins!().join(", ")
          })`,
        );
      }
    },
    guardFetch: (inner) => (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (!allowed(url)) {
        return Promise.reject(new Error("not sent: the embedded sandbox delivers only to this app"));
      }
      return inner(input, init);
    },
  };
}
