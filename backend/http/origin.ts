/**
 * The app's public origin comes from configuration, never from the request:
 * webhook URLs, allowed origins, redirects and the same-origin check are all
 * built from it. APP_URL when set (required in live mode, and on Val Town,
 * where there is no port to know); otherwise the address the app listens on,
 * as `http://localhost:PORT` and `http://127.0.0.1:PORT`.
 *
 * A request for any other host is refused before routing: Deno builds the
 * request URL (and so the routed path) from the Host header, so
 * `Host: localhost:8000/sandbox/admin?` would otherwise route elsewhere.
 */
import type { MiddlewareHandler } from "hono";
import type { Config } from "../config.ts";
import { ApiError } from "./errors.ts";

/** The origins this app answers on; the first is the canonical one. */
export type Origins = () => readonly string[];

export function configuredOrigins(config: Pick<Config, "appUrl">, port: number): string[] {
  if (config.appUrl) return [config.appUrl];
  return [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
}

/** Which configured origin a request came to, or undefined when it names another host. */
export function originFor(origins: readonly string[], request: Request): string | undefined {
  const url = new URL(request.url);
  const hostHeader = request.headers.get("host");
  // A request built in process (tests, the in-process sandbox) has no Host
  // header; one from the network always has (Deno fills it in otherwise).
  const host = (hostHeader ?? url.host).toLowerCase();
  if (url.host.toLowerCase() !== host) return undefined; // absolute-form target naming another host
  const hosts = hostsOf(origins);
  const i = hosts.indexOf(host);
  return i < 0 ? undefined : origins[i];
}

/** Each origin's host, worked out once per list rather than on every request. */
const hosts = new WeakMap<readonly string[], string[]>();
function hostsOf(origins: readonly string[]): string[] {
  let list = hosts.get(origins);
  if (!list) hosts.set(origins, list = origins.map((o) => new URL(o).host));
  return list;
}

export type OriginVars = { origin: string };

/** Refuses other hosts with 421, and sets `origin` for everything after it. */
export function hostGuard(origins: Origins): MiddlewareHandler<{ Variables: OriginVars }> {
  return async (c, next) => {
    const list = origins();
    const origin = originFor(list, c.req.raw);
    if (!origin) {
      throw new ApiError(
        421,
        "unknown_host",
        `This app answers only at ${list.join(" and ")}. ` +
          "Behind a proxy or on another address, set APP_URL to the address browsers use.",
      );
    }
    c.set("origin", origin);
    await next();
  };
}
