/**
 * Compressed copies of the frontend's assets, made once at build and never
 * per request: brotli and gzip of every text asset (JavaScript, CSS, SVG),
 * and the choice among them for a request's `Accept-Encoding`.
 */
import { lazy } from "./lazy.ts";

export type Encoding = "br" | "gzip";

/** Preferred first: brotli is smaller for the same text. */
export const ENCODINGS: readonly Encoding[] = ["br", "gzip"];

/** Files whose name ends so are stored compressed too (already-compressed formats are not). */
export const COMPRESSIBLE = /\.(js|css|svg|map|json|html)$/;

/**
 * `max`: the smallest output (brotli quality 11, about a second for the
 * bundle), for `deno task build`; `fast`: a bundle built in-process, on the
 * first page view (quality 5, a few ms, a few percent larger).
 */
export type Effort = "max" | "fast";

/** node:zlib, loaded when something is compressed: serving prebuilt files never needs it. */
const zlib = lazy(() => import("node:zlib"));

export async function compress(
  bytes: Uint8Array,
  encoding: Encoding,
  effort: Effort = "max",
): Promise<Uint8Array> {
  const { brotliCompressSync, constants, gzipSync } = await zlib();
  if (encoding === "gzip") return new Uint8Array(gzipSync(bytes, { level: 9 }));
  return new Uint8Array(brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_QUALITY]: effort === "max" ? 11 : 5,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  }));
}

/**
 * The encoding to send, from those available, for an `Accept-Encoding`
 * header (RFC 9110 §12.5.3): the first of ours the client accepts with a
 * non-zero q-value, its own order of preference notwithstanding (it never
 * asks for ours by name, and brotli wins on size); undefined: send as is.
 */
export function negotiate(
  acceptEncoding: string | undefined,
  available: readonly Encoding[],
): Encoding | undefined {
  if (!acceptEncoding || available.length === 0) return undefined;
  const q = new Map<string, number>();
  for (const part of acceptEncoding.split(",")) {
    const [rawName, ...params] = part.toLowerCase().split(";");
    const name = rawName.trim();
    if (!name) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const value = qParam === undefined ? 1 : Number(qParam.slice(2));
    // x-gzip: gzip's older name, still to be read as gzip (RFC 9110 §8.4.1.3).
    q.set(name === "x-gzip" ? "gzip" : name, Number.isFinite(value) ? value : 0);
  }
  const accepted = (e: Encoding) => (q.get(e) ?? q.get("*") ?? 0) > 0;
  return ENCODINGS.find((e) => available.includes(e) && accepted(e));
}
