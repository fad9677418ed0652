/**
 * Storage budgets: what the app keeps about a request (run history, the SDK
 * call inspector) is a few KB however large the request was. Long strings
 * and arrays are cut first, so the shape stays readable; what is still too
 * big becomes a marker with its size and a prefix.
 */

export const MAX_STORED_PROPS_BYTES = 4096;
const MAX_STRING = 256;
const MAX_ITEMS = 20;
const MAX_KEYS = 50;

function shrink(value: unknown, depth: number): unknown {
  if (typeof value === "string") {
    return value.length > MAX_STRING
      ? `${value.slice(0, MAX_STRING)}… [${value.length - MAX_STRING} more characters]`
      : value;
  }
  if (depth > 8) return "[nested too deep to keep]";
  if (Array.isArray(value)) {
    const kept = value.slice(0, MAX_ITEMS).map((v) => shrink(v, depth + 1));
    return value.length > MAX_ITEMS ? [...kept, `[${value.length - MAX_ITEMS} more items]`] : kept;
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value);
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries.slice(0, MAX_KEYS)) out[k] = shrink(v, depth + 1);
    if (entries.length > MAX_KEYS) out["…"] = `[${entries.length - MAX_KEYS} more keys]`;
    return out;
  }
  return value;
}

/** An object that serializes to at most about `maxBytes` of JSON. */
export function truncateForStorage(
  value: Record<string, unknown>,
  maxBytes = MAX_STORED_PROPS_BYTES,
): Record<string, unknown> {
  const full = JSON.stringify(value);
  if (full.length <= maxBytes) return value;
  const shrunk = shrink(value, 0) as Record<string, unknown>;
  const text = JSON.stringify(shrunk);
  if (text.length <= maxBytes) return shrunk;
  return { "[truncated]": `${full.length} bytes; the first ${maxBytes / 2}: ${text.slice(0, maxBytes / 2)}` };
}
