/**
 * Pipedream's webhook wire format, in the one module that the receiver, the
 * sandbox (the sender), the scratchpad and the benchmark share: no other file
 * spells a header name or builds a signature.
 *
 * As observed from live Pipedream (not yet in its published docs; see
 * reference/webhooks.md): a trigger delivery is a POST of the bare emitted
 * event as JSON, with
 *   x-pd-signature:        t=<unix seconds>,v1=<hex HMAC-SHA256(signing key, "<t>.<raw body>")>
 *   x-pd-timestamp:        ISO 8601 (e.g. 2026-05-01T05:17:03Z)
 *   x-pd-emitter-id:       the deployed trigger (dc_…)
 *   x-pd-external-user-id: the user it was deployed for
 *   x-pd-project-id, x-pd-environment
 * Only the body and `t` are signed: the other headers are checked against
 * what the app knows, never trusted on their own.
 */
import { HmacSha256Key, hmacSha256Key, timingSafeEqualString } from "./crypto.ts";

export const PD_HEADER = {
  signature: "x-pd-signature",
  timestamp: "x-pd-timestamp",
  emitterId: "x-pd-emitter-id",
  externalUserId: "x-pd-external-user-id",
  projectId: "x-pd-project-id",
  environment: "x-pd-environment",
} as const;

/** A signature whose `t` is further than this from our clock is refused (replay window). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;
/** Several `v1=` values may come during a key rotation; more than this is not a rotation. */
const MAX_SIGNATURES = 5;

/** A signing key as configured (a string), or prepared once by whoever verifies with it often. */
export type SigningKey = string | HmacSha256Key;

function v1(key: SigningKey, t: number, rawBody: string | Uint8Array): string {
  const prepared = typeof key === "string" ? hmacSha256Key(key) : key;
  return prepared.signHex(`${t}.`, rawBody);
}

/** `2026-05-01T05:17:03Z`: ISO 8601 to the second, as observed in `x-pd-timestamp`. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

const ISO_8601 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * `x-pd-timestamp` in epoch ms: ISO 8601 as observed (`2026-05-01T05:17:03Z`;
 * a fraction or an offset too), or unix seconds; undefined when it is
 * neither. It is not signed: only ever compared with the signed `t`.
 */
export function parseTimestampHeader(value: string): number | undefined {
  if (/^\d{1,12}$/.test(value)) return Number(value) * 1000;
  const m = ISO_8601.exec(value);
  if (!m) return undefined;
  const [, seconds, fraction = "", zone] = m;
  const offset = zone === "Z" ? "Z" : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const ms = Date.parse(`${seconds}.${fraction.padEnd(3, "0").slice(0, 3)}${offset}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The headers that sign one request: `x-pd-signature` and `x-pd-timestamp`. */
export function signatureHeaders(
  key: SigningKey,
  rawBody: string | Uint8Array,
  nowMs: number,
): Record<string, string> {
  const t = Math.floor(nowMs / 1000);
  return {
    [PD_HEADER.signature]: `t=${t},v1=${v1(key, t, rawBody)}`,
    [PD_HEADER.timestamp]: isoSeconds(nowMs),
  };
}

/** Who a trigger delivery is from and for. */
export type DeliveryContext = {
  emitterId: string;
  externalUserId: string;
  projectId: string;
  environment: string;
};

export function deliveryContextHeaders(ctx: DeliveryContext): Record<string, string> {
  return {
    [PD_HEADER.emitterId]: ctx.emitterId,
    [PD_HEADER.externalUserId]: ctx.externalUserId,
    [PD_HEADER.projectId]: ctx.projectId,
    [PD_HEADER.environment]: ctx.environment,
  };
}

/** The context headers as sent (absent ones undefined); unverified until checked. */
export function readDeliveryContext(headers: Headers): Partial<DeliveryContext> {
  const get = (name: string) => headers.get(name) ?? undefined;
  return {
    emitterId: get(PD_HEADER.emitterId),
    externalUserId: get(PD_HEADER.externalUserId),
    projectId: get(PD_HEADER.projectId),
    environment: get(PD_HEADER.environment),
  };
}

export type ParsedSignature = { t: number; v1: string[] };

/** `t=<digits>,v1=<64 hex>[,v1=…]`; other schemes are ignored; undefined when unusable. */
export function parseSignatureHeader(value: string | null | undefined): ParsedSignature | undefined {
  if (!value || value.length > 1000) return undefined;
  let t: number | undefined;
  const sigs: string[] = [];
  for (const part of value.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    const val = part.slice(eq + 1).trim();
    if (name === "t") {
      if (t !== undefined || !/^\d{1,12}$/.test(val)) return undefined;
      t = Number(val);
    } else if (name === "v1" && /^[0-9a-fA-F]{64}$/.test(val) && sigs.length < MAX_SIGNATURES) {
      sigs.push(val.toLowerCase());
    }
  }
  return t === undefined || sigs.length === 0 ? undefined : { t, v1: sigs };
}

export type Verification = { ok: true; t: number; signature: string } | { ok: false; reason: string };

/**
 * Checks `x-pd-signature` over the raw body bytes (never re-serialised JSON):
 * `t` within the tolerance of `nowMs`, and one `v1` equal to the HMAC,
 * compared in constant time. `signature` is the matching value, which names
 * this signed delivery (a replay carries the same one).
 */
export function verifySignature(
  key: SigningKey,
  headers: Headers,
  rawBody: Uint8Array,
  nowMs: number,
): Verification {
  const parsed = parseSignatureHeader(headers.get(PD_HEADER.signature));
  if (!parsed) return { ok: false, reason: `missing or malformed ${PD_HEADER.signature}` };
  const expected = v1(key, parsed.t, rawBody);
  let match: string | undefined;
  // Compare against every candidate so timing does not reveal which one matched.
  for (const given of parsed.v1) if (timingSafeEqualString(expected, given)) match = given;
  const skew = nowMs / 1000 - parsed.t;
  if (Math.abs(skew) > SIGNATURE_TOLERANCE_SECONDS) {
    return { ok: false, reason: `signature t is ${Math.round(skew)} s from now (over the tolerance)` };
  }
  return match ? { ok: true, t: parsed.t, signature: match } : { ok: false, reason: "signature mismatch" };
}
