/**
 * Bytes as text and back: hex, base64 and base64url. The one place these
 * encodings are written, for the backend (signatures, ids, cursors, the
 * proxy's URL segment) and the browser alike. A string argument is encoded
 * as UTF-8 first.
 *
 * No `Deno` here: this file is bundled for the browser too.
 */

const utf8 = new TextEncoder();
const bytesOf = (data: string | Uint8Array) => typeof data === "string" ? utf8.encode(data) : data;

export function toHex(data: string | Uint8Array): string {
  let out = "";
  for (const b of bytesOf(data)) out += b.toString(16).padStart(2, "0");
  return out;
}

export function toBase64(data: string | Uint8Array): string {
  let binary = "";
  for (const b of bytesOf(data)) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** base64 with the URL- and filename-safe alphabet (RFC 4648 §5), unpadded. */
export function toBase64Url(data: string | Uint8Array): string {
  return toBase64(data).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * Decodes base64 in either alphabet, padded or not (what a sender means by
 * "base64" varies). Throws a `SyntaxError` on anything else.
 */
export function fromBase64(text: string): Uint8Array {
  const standard = text.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
  if (!/^[A-Za-z0-9+/]*$/.test(standard) || standard.length % 4 === 1) {
    throw new SyntaxError("not base64");
  }
  const binary = atob(standard.padEnd(Math.ceil(standard.length / 4) * 4, "="));
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}

/** `fromBase64`, then UTF-8; throws a `SyntaxError` when the bytes are not UTF-8 either. */
export function fromBase64Text(text: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(fromBase64(text));
  } catch (err) {
    throw err instanceof SyntaxError ? err : new SyntaxError("not UTF-8");
  }
}
