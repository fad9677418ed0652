/**
 * The webhook signature scheme, in one module that both the sandbox (sender)
 * and the receiver use, so it can be swapped in one place if Pipedream's
 * documented scheme differs. HMAC-SHA256 with the signing key over
 * `"{timestamp}.{raw body}"`, sent as `x-pd-signature: v1=<hex>` with
 * `x-pd-timestamp: <unix seconds>`, and a delivery id in `x-pd-delivery-id`
 * (the Standard Webhooks pattern). Deliveries older or newer than the
 * tolerance are refused, so a captured request cannot be replayed later.
 */
import { toHex } from "../../shared/encoding.ts";
import { hmacSha256, timingSafeEqualString } from "./crypto.ts";

export const SIGNATURE_HEADER = "x-pd-signature";
export const TIMESTAMP_HEADER = "x-pd-timestamp";
export const DELIVERY_ID_HEADER = "x-pd-delivery-id";
export const TOLERANCE_SECONDS = 300;

export async function computeSignature(
  key: string,
  timestamp: number,
  rawBody: string | Uint8Array,
): Promise<string> {
  const body = typeof rawBody === "string" ? new TextEncoder().encode(rawBody) : rawBody;
  const prefix = new TextEncoder().encode(`${timestamp}.`);
  const data = new Uint8Array(prefix.length + body.length);
  data.set(prefix);
  data.set(body, prefix.length);
  return "v1=" + toHex(await hmacSha256(key, data));
}

/** Headers for one signed delivery. */
export async function signDelivery(
  key: string,
  rawBody: string,
  nowMs: number,
  deliveryId: string,
): Promise<Record<string, string>> {
  const ts = Math.floor(nowMs / 1000);
  return {
    [SIGNATURE_HEADER]: await computeSignature(key, ts, rawBody),
    [TIMESTAMP_HEADER]: String(ts),
    [DELIVERY_ID_HEADER]: deliveryId,
  };
}

export type VerifyResult = { ok: true; timestamp: number } | { ok: false; reason: string };

/**
 * Checks a delivery against every key that may have signed it (a rotated key
 * stays valid for a while). The signature header may carry several
 * space-separated `v1=` values, as during a rotation.
 */
export async function verifyDelivery(
  keys: readonly string[],
  headers: Headers,
  rawBody: Uint8Array,
  nowMs: number,
): Promise<VerifyResult> {
  const sigHeader = headers.get(SIGNATURE_HEADER);
  const tsHeader = headers.get(TIMESTAMP_HEADER);
  if (!sigHeader || !tsHeader) return { ok: false, reason: "missing signature headers" };
  if (!/^\d{1,12}$/.test(tsHeader)) return { ok: false, reason: "malformed timestamp" };
  const ts = Number(tsHeader);
  if (Math.abs(nowMs / 1000 - ts) > TOLERANCE_SECONDS) {
    return { ok: false, reason: "timestamp outside tolerance" };
  }
  const given = sigHeader.split(/\s+/).filter((s) => s.startsWith("v1=")).slice(0, 5);
  if (given.length === 0) return { ok: false, reason: "malformed signature" };
  let match = false;
  for (const key of keys) {
    const expected = await computeSignature(key, ts, rawBody);
    // Compare against every candidate so timing does not reveal which matched.
    for (const g of given) match = timingSafeEqualString(expected, g) || match;
  }
  return match ? { ok: true, timestamp: ts } : { ok: false, reason: "signature mismatch" };
}
