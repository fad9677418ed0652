/**
 * Hashing, HMAC and tokens shared by sessions, webhook signatures and the
 * sandbox. SHA-256 and HMAC use `node:crypto`'s synchronous hash (as
 * Val Town does too): for the short inputs here, Web Crypto's asynchronous
 * round trip costs several times the hash itself, and a webhook delivery
 * makes two of them.
 */
import type { Hash } from "node:crypto";
import process from "node:process";
import { toBase64Url } from "../../shared/encoding.ts";

/**
 * node:crypto, loaded by the first hash: it is a few milliseconds of every
 * cold start otherwise, and a first visit's page and session hash nothing
 * (lib/lazy.ts has why starts load little).
 */
let nodeCrypto: typeof import("node:crypto") | undefined;
function createHash(algorithm: "sha256"): Hash {
  nodeCrypto ??= process.getBuiltinModule("node:crypto") as typeof import("node:crypto");
  return nodeCrypto.createHash(algorithm);
}

const encoder = new TextEncoder();
const bytesOf = (data: string | Uint8Array) => typeof data === "string" ? encoder.encode(data) : data;

/** SHA-256 as lowercase hex. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(bytesOf(data)).digest("hex");
}

const BLOCK = 64;

/**
 * An HMAC-SHA256 key prepared once (RFC 2104): its inner and outer padded
 * blocks are hashed ahead, so signing a message costs two short hashes and
 * no key setup. For a key that signs or verifies many messages (a
 * deployment's webhook key, the session secret).
 */
export class HmacSha256Key {
  readonly #inner: Hash;
  readonly #outer: Hash;

  constructor(secret: string | Uint8Array) {
    let key = bytesOf(secret);
    if (key.length > BLOCK) key = createHash("sha256").update(key).digest();
    const padded = new Uint8Array(BLOCK);
    padded.set(key);
    this.#inner = createHash("sha256").update(padded.map((b) => b ^ 0x36));
    this.#outer = createHash("sha256").update(padded.map((b) => b ^ 0x5c));
  }

  /** HMAC of the parts, concatenated (no copy is made of them). */
  sign(...parts: Array<string | Uint8Array>): Uint8Array {
    return new Uint8Array(this.#outer.copy().update(this.#innerDigest(parts)).digest());
  }

  /** The same, as lowercase hex. */
  signHex(...parts: Array<string | Uint8Array>): string {
    return this.#outer.copy().update(this.#innerDigest(parts)).digest("hex");
  }

  #innerDigest(parts: Array<string | Uint8Array>) {
    const inner = this.#inner.copy();
    for (const p of parts) inner.update(bytesOf(p));
    return inner.digest();
  }
}

/** Prepared keys by secret, bounded: callers pass secrets as strings and keep no key object. */
const keyCache = new Map<string, HmacSha256Key>();
const MAX_CACHED_KEYS = 1000;

export function hmacSha256Key(secret: string): HmacSha256Key {
  let key = keyCache.get(secret);
  if (!key) {
    key = new HmacSha256Key(secret);
    if (keyCache.size >= MAX_CACHED_KEYS) keyCache.delete(keyCache.keys().next().value!);
    keyCache.set(secret, key);
  }
  return key;
}

export function hmacSha256(secret: string, data: string | Uint8Array): Uint8Array {
  return hmacSha256Key(secret).sign(data);
}

export function randomToken(bytes = 24): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** Compares two strings in time that depends only on their lengths. */
export function timingSafeEqualString(a: string, b: string): boolean {
  const ab = encoder.encode(a);
  const bb = encoder.encode(b);
  let diff = ab.length ^ bb.length;
  const n = Math.max(ab.length, bb.length);
  for (let i = 0; i < n; i++) diff |= (ab[i] ?? 0) ^ (bb[i] ?? 0);
  return diff === 0;
}
