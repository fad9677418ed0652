/**
 * What the Connect proxy accepts, as Pipedream documents it (docs:
 * connect/api-proxy, "Sending requests" and "When to use relative vs full
 * URLs"): an app whose `base_proxy_target_url` is a plain URL (a fixed
 * domain, like Slack) takes either a full https URL on one of its
 * `allowed_domains` or a path relative to that base; an app whose base has
 * placeholders (an account-specific domain, like Zendesk or Acme Desk)
 * "must" be sent a relative path, which Pipedream resolves from the account.
 * A domain outside the list is refused as live refuses it (observed:
 * `{"domain": ["not allowed for this app"]}`). Headers the proxy refuses
 * ("Restricted headers"), or that HTTP cannot carry, are a 400 as well.
 */
import { HEADER_VALUE, isProxyRestrictedHeader } from "../../shared/api.ts";
import { fromBase64Text } from "../../shared/encoding.ts";
import type { AppDef, SandboxAccount } from "./catalog/types.ts";
import { PipedreamApiError } from "./http.ts";

const refuse = (message: string, details?: Record<string, unknown>) =>
  new PipedreamApiError(400, message, undefined, {}, details);

/** The proxy URL's base64 (standard, as the SDK sends it, or URL-safe, as the docs show it) as text. */
export function decodeProxyUrl(url64: string): string {
  try {
    return fromBase64Text(decodeURIComponent(url64));
  } catch {
    throw refuse("The proxied URL is not base64 of a URL");
  }
}

/** An app's API base for one account: account-specific domains are filled in from its fields. */
export function accountApiBase(app: AppDef, account: SandboxAccount): string {
  return app.apiBase.replace(
    /\{\{custom_fields\.([a-z_]+)\}\}/g,
    (_, field) => account.credentials[field] ?? "",
  );
}

/**
 * Where a proxied request goes: the full URL it names, and the path under
 * the app's API base that the app's own (stand-in) API is asked for.
 */
export function proxyTarget(
  app: AppDef,
  account: SandboxAccount,
  url: string,
): { target: URL; path: string } {
  const base = new URL(accountApiBase(app, account));
  let target: URL;
  if (url.startsWith("/") && !url.startsWith("//")) {
    target = new URL(base.origin + base.pathname.replace(/\/$/, "") + url);
  } else {
    try {
      target = new URL(url);
    } catch {
      throw refuse(`${JSON.stringify(url.slice(0, 100))} is neither a full URL nor a path starting with /`);
    }
    if (app.allowedDomains === null) {
      throw refuse(
        `${app.name}'s domain depends on the account: send a relative path (like /api/v2/tickets), ` +
          `which the proxy resolves against ${app.apiBase}`,
        { domain: ["not allowed for this app"] },
      );
    }
    if (target.protocol !== "https:" || target.username || target.password) {
      throw refuse(`The proxy calls https URLs without credentials, not ${target.protocol}//…`);
    }
    if (!app.allowedDomains.includes(target.host)) {
      throw refuse(
        `domain not allowed for this app: ${target.host} (${app.name} allows ${
          app.allowedDomains.join(", ")
        })`,
        { domain: ["not allowed for this app"] },
      );
    }
  }
  const root = base.pathname.replace(/\/$/, "");
  const path = target.host === base.host && target.pathname.startsWith(`${root}/`)
    ? target.pathname.slice(root.length)
    : target.pathname;
  return { target, path };
}

/**
 * The headers to pass on (the SDK sends each as `x-pd-proxy-<name>`), or a
 * 400 for one the proxy refuses or whose value HTTP cannot carry.
 */
export function forwardedHeaders(headers: Iterable<[string, string]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [raw, value] of headers) {
    const key = raw.toLowerCase();
    if (!key.startsWith("x-pd-proxy-")) continue;
    const name = key.slice("x-pd-proxy-".length);
    if (isProxyRestrictedHeader(name)) throw refuse(`The Connect proxy refuses the ${name} header`);
    if (!HEADER_VALUE.test(value)) {
      throw refuse(`The ${name} header's value must be Latin-1 text without CR, LF or NUL`);
    }
    out[name] = value;
  }
  return out;
}
