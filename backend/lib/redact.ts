/**
 * Redaction for anything the app stores or shows about a call: run history,
 * the SDK call inspector. Keys that name secrets lose their values; so do
 * values that look like tokens, wherever they sit.
 */

const SECRET_KEY =
  /(secret|token|password|passwd|credential|authorization|api[-_]?key|apikey|private[-_]?key|signing[-_]?key|cookie|oauth_refresh|oauth_access|^key$)/i;
const SECRET_VALUE =
  /^(Bearer\s+\S+|ctok_[A-Za-z0-9_-]+|sk_[A-Za-z0-9_-]{8,}|sbx_(at|key|sec|rt|oat)_[A-Za-z0-9_-]+)$/;
/** Tokens inside longer strings (a Connect Link URL carries its token). */
const EMBEDDED_SECRET = /(ctok_|sbx_(?:at|key|sec|rt|oat)_)[A-Za-z0-9_-]+/g;

export const REDACTED = "[redacted]";

export function redact(value: unknown, secretKeys: ReadonlySet<string> = new Set(), depth = 0): unknown {
  if (depth > 20) return REDACTED;
  if (typeof value === "string") {
    return SECRET_VALUE.test(value.trim()) ? REDACTED : value.replace(EMBEDDED_SECRET, REDACTED);
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, secretKeys, depth + 1));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_KEY.test(k) || secretKeys.has(k) ? REDACTED : redact(v, secretKeys, depth + 1);
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
    return text.length > 200 ? `[${text.length} bytes of non-JSON]` : String(redact(text));
  }
}
