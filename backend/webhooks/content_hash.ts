/**
 * The content hash that lets a webhook delivery and Pipedream's event log
 * name the same event: SHA-256 of a canonical JSON (object keys sorted, no
 * whitespace), so the delivered bytes and the log's re-serialised `e` hash
 * alike. It is not an identity: two events with equal content have equal
 * hashes, and the store never merges on it alone.
 */
import { sha256Hex } from "../lib/crypto.ts";

/** Canonical JSON of a parsed value; callers bound its depth first (see read_body.ts). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${
      keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(
        ",",
      )
    }}`;
  }
  // JSON.stringify gives undefined for undefined (never in parsed JSON); null keeps the output valid.
  return JSON.stringify(value) ?? "null";
}

export function contentHash(event: unknown): string {
  return sha256Hex(canonicalJson(event));
}
