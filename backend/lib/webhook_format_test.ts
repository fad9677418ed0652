import { deepStrictEqual, equal, match } from "node:assert/strict";
import { createHmac } from "node:crypto";
import {
  deliveryContextHeaders,
  parseSignatureHeader,
  parseTimestampHeader,
  PD_HEADER,
  readDeliveryContext,
  signatureHeaders,
  verifySignature,
} from "./webhook_format.ts";

const KEY = "sbx_sec_test";
const NOW = Date.UTC(2026, 4, 1, 5, 17, 3, 456);
const T = Math.floor(NOW / 1000);
const body = '{"type":"message","text":"hi"}';
const bytes = (s: string) => new TextEncoder().encode(s);

Deno.test("the signature is Stripe-style t=,v1= over '<t>.<raw body>', checkable with any HMAC library", async () => {
  const h = await signatureHeaders(KEY, body, NOW);
  const independent = createHmac("sha256", KEY).update(`${T}.${body}`).digest("hex");
  equal(h[PD_HEADER.signature], `t=${T},v1=${independent}`);
  equal(h[PD_HEADER.timestamp], "2026-05-01T05:17:03Z");
  deepStrictEqual(await verifySignature(KEY, new Headers(h), bytes(body), NOW), {
    ok: true,
    t: T,
    signature: independent,
  });
});

Deno.test("forged, tampered, stale, future and malformed signatures are refused", async () => {
  const h = new Headers(await signatureHeaders(KEY, body, NOW));
  const refused = async (headers: Headers, raw = body, now = NOW) =>
    equal((await verifySignature(KEY, headers, bytes(raw), now)).ok, false);
  await refused(new Headers(await signatureHeaders("other-key", body, NOW)));
  await refused(h, body + " ");
  await refused(h, body, NOW + 301_000);
  await refused(h, body, NOW - 301_000);
  await refused(new Headers());
  for (
    const bad of [
      "v1=abc",
      `t=${T}`,
      `t=x,v1=${"a".repeat(64)}`,
      `t=${T},v1=zz`,
      `t=1,t=2,v1=${"a".repeat(64)}`,
    ]
  ) {
    await refused(new Headers({ [PD_HEADER.signature]: bad }));
  }
  // The observed format only: the earlier invented `v1=<hex>` with a unix x-pd-timestamp is not accepted.
  const legacy = new Headers({
    [PD_HEADER.signature]: `v1=${createHmac("sha256", KEY).update(`${T}.${body}`).digest("hex")}`,
    [PD_HEADER.timestamp]: String(T),
  });
  await refused(legacy);
});

Deno.test("several v1 values (a key rotation): any one verifies; the matching one names the delivery", async () => {
  const good = createHmac("sha256", KEY).update(`${T}.${body}`).digest("hex");
  const h = new Headers({ [PD_HEADER.signature]: `t=${T}, v1=${"0".repeat(64)}, v1=${good.toUpperCase()}` });
  deepStrictEqual(await verifySignature(KEY, h, bytes(body), NOW), { ok: true, t: T, signature: good });
  equal(parseSignatureHeader(`t=${T},${Array(9).fill(`v1=${good}`).join(",")}`)?.v1.length, 5);
  equal(parseSignatureHeader(`t=${T},v0=${good}`), undefined);
});

Deno.test("delivery context headers round-trip; absent ones read as undefined", () => {
  const ctx = { emitterId: "dc_abc", externalUserId: "u_1", projectId: "proj_x", environment: "production" };
  deepStrictEqual(readDeliveryContext(new Headers(deliveryContextHeaders(ctx))), ctx);
  deepStrictEqual(readDeliveryContext(new Headers()), {
    emitterId: undefined,
    externalUserId: undefined,
    projectId: undefined,
    environment: undefined,
  });
  match(Object.keys(deliveryContextHeaders(ctx)).join(), /^(x-pd-[a-z-]+,?)+$/);
});

Deno.test("x-pd-timestamp: ISO 8601 as observed, with fractions or offsets, or unix seconds; nothing else", () => {
  const at = Date.UTC(2026, 4, 1, 5, 17, 3);
  equal(signatureHeaders(KEY, body, NOW)[PD_HEADER.timestamp], "2026-05-01T05:17:03Z");
  equal(parseTimestampHeader("2026-05-01T05:17:03Z"), at);
  equal(parseTimestampHeader("2026-05-01T05:17:03.456789Z"), at + 456);
  equal(parseTimestampHeader("2026-05-01T07:17:03+02:00"), at);
  equal(parseTimestampHeader("2026-05-01T07:17:03+0200"), at);
  equal(parseTimestampHeader(String(T)), at);
  for (
    const bad of ["", "yesterday", "2026-05-01", "2026-05-01 05:17:03Z", "2026-13-01T05:17:03Z", "1e9", "-5"]
  ) {
    equal(parseTimestampHeader(bad), undefined, bad);
  }
});
