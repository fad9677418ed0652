/**
 * The one set of redaction rules for anything the app keeps or shows about a
 * call: run history, the SDK call inspector's server calls (backend) and its
 * browser calls (frontend). Keys that name secrets lose their values, at any
 * depth; so do values that look like tokens wherever they sit, whole or
 * inside a longer string (a Connect Link URL carries its token); and a URL's
 * query parameters follow the same two rules.
 *
 * No `Deno` here: this file is bundled for the browser too.
 */

/** Key names whose values are secrets, whatever the values look like. */
const SECRET_KEY =
  /(secret|token|password|passwd|credential|authorization|api[-_]?key|apikey|private[-_]?key|signing[-_]?key|cookie|oauth_refresh|oauth_access|^key$)/i;
/** Values that are secrets whole: bearer headers, connect tokens, sandbox and Stripe-style keys. */
const SECRET_VALUE =
  /^(Bearer\s+\S+|ctok_[A-Za-z0-9_-]+|sk_[A-Za-z0-9_-]{8,}|sbx_(at|key|sec|rt|oat)_[A-Za-z0-9_-]+)$/;
/** Tokens inside longer strings. */
const EMBEDDED_SECRET = /(ctok_|sbx_(?:at|key|sec|rt|oat)_)[A-Za-z0-9_-]+/g;
const MAX_DEPTH = 20;

export const REDACTED = "[redacted]";

export function isSecretKey(name: string): boolean {
  return SECRET_KEY.test(name);
}

function redactString(value: string): string {
  return SECRET_VALUE.test(value.trim()) ? REDACTED : value.replace(EMBEDDED_SECRET, REDACTED);
}

/**
 * A copy of `value` with secrets replaced by `REDACTED`. `secretKeys` adds
 * names that are secret for this value only (a component's `secret: true`
 * props).
 */
export function redact(value: unknown, secretKeys: ReadonlySet<string> = new Set(), depth = 0): unknown {
  if (depth > MAX_DEPTH) return REDACTED;
  if (typeof value === "string") return redactString(value);
  if (Array.isArray(value)) return value.map((v) => redact(v, secretKeys, depth + 1));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = isSecretKey(k) || secretKeys.has(k) ? REDACTED : redact(v, secretKeys, depth + 1);
    }
    return out;
  }
  return value;
}

/** Redacts a JSON text (a request or response body); non-JSON text is kept only if short. */
export function redactJsonText(text: string | undefined, max = 20_000): string | undefined {
  if (text === undefined || text === "") return undefined;
  try {
    const s = JSON.stringify(redact(JSON.parse(text)));
    return s.length > max ? s.slice(0, max) + "…" : s;
  } catch {
    return text.length > 200 ? `[${text.length} bytes of non-JSON]` : redactString(text);
  }
}

/** A query string (with or without its `?`) with secret parameters' values redacted; the rest as sent. */
export function redactQuery(search: string): string {
  const query = search.replace(/^\?/, "");
  if (!query) return "";
  const parts = query.split("&").map((part) => {
    const eq = part.indexOf("=");
    if (eq < 0) return part;
    const name = part.slice(0, eq);
    let decoded = name;
    try {
      decoded = decodeURIComponent(name.replace(/\+/g, " "));
    } catch { /* a malformed name is checked as written */ }
    if (isSecretKey(decoded)) return `${name}=${REDACTED}`;
    let value = part.slice(eq + 1);
    try {
      value = redactString(decodeURIComponent(value.replace(/\+/g, " "))) === REDACTED
        ? REDACTED
        : value.replace(EMBEDDED_SECRET, REDACTED);
    } catch {
      value = value.replace(EMBEDDED_SECRET, REDACTED);
    }
    return `${name}=${value}`;
  });
  return `?${parts.join("&")}`;
}

/**
 * What the inspector shows of a Pipedream call's URL: its path below the
 * Pipedream base path (`/sandbox` in sandbox mode, none live), and its query,
 * redacted.
 */
export function callPath(url: URL, basePath = ""): string {
  const base = basePath.replace(/\/+$/, "");
  const path = base && url.pathname.startsWith(`${base}/`) ? url.pathname.slice(base.length) : url.pathname;
  return path + redactQuery(url.search);
}
