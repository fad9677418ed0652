import { deepStrictEqual, equal } from "node:assert/strict";
import { signDelivery, verifyDelivery } from "./webhook_signature.ts";

const KEY = "sbx_sec_test";
const NOW = Date.UTC(2026, 10, 24, 12);
const body = '{"event":{"n":1}}';
const bytes = (s: string) => new TextEncoder().encode(s);

Deno.test("a signed delivery verifies; the delivery id travels with it", async () => {
  const h = new Headers(await signDelivery(KEY, body, NOW, "evt_1"));
  deepStrictEqual(await verifyDelivery([KEY], h, bytes(body), NOW), { ok: true, timestamp: NOW / 1000 });
  equal(h.get("x-pd-delivery-id"), "evt_1");
});

Deno.test("wrong key, changed body, stale or future timestamp, missing headers: refused", async () => {
  const h = new Headers(await signDelivery(KEY, body, NOW, "evt_1"));
  equal((await verifyDelivery(["other"], h, bytes(body), NOW)).ok, false);
  equal((await verifyDelivery([KEY], h, bytes(body + " "), NOW)).ok, false);
  equal((await verifyDelivery([KEY], h, bytes(body), NOW + 301_000)).ok, false);
  equal((await verifyDelivery([KEY], h, bytes(body), NOW - 301_000)).ok, false);
  equal((await verifyDelivery([KEY], new Headers(), bytes(body), NOW)).ok, false);
  const noPrefix = new Headers(h);
  noPrefix.set("x-pd-signature", h.get("x-pd-signature")!.slice(3));
  equal((await verifyDelivery([KEY], noPrefix, bytes(body), NOW)).ok, false);
});

Deno.test("during a key rotation either key verifies", async () => {
  const h = new Headers(await signDelivery("new-key", body, NOW, "evt_2"));
  equal((await verifyDelivery(["old-key", "new-key"], h, bytes(body), NOW)).ok, true);
});
