import { equal } from "node:assert/strict";
import { createHmac } from "node:crypto";
import { toHex } from "../../shared/encoding.ts";
import { hmacSha256, HmacSha256Key, sha256Hex } from "./crypto.ts";

Deno.test("sha256Hex is SHA-256 (FIPS 180-2 test vectors)", () => {
  equal(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  equal(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  equal(sha256Hex(new TextEncoder().encode("abc")), sha256Hex("abc"));
});

Deno.test("a prepared HMAC key signs as HMAC-SHA256 does, for short, block-sized and long keys", () => {
  // RFC 4231 test case 2, then keys around the 64-byte block size (long keys are hashed first).
  equal(
    toHex(new HmacSha256Key("Jefe").sign("what do ya want for nothing?")),
    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
  );
  for (const length of [1, 25, 63, 64, 65, 131]) {
    const secret = "k".repeat(length);
    const key = new HmacSha256Key(secret);
    const expected = createHmac("sha256", secret).update('1795655258.{"a":1}').digest("hex");
    equal(toHex(key.sign("1795655258.", new TextEncoder().encode('{"a":1}'))), expected, `key of ${length}`);
    // The prepared state is copied, never consumed: the same key signs again alike.
    equal(toHex(key.sign('1795655258.{"a":1}')), expected);
    equal(toHex(hmacSha256(secret, '1795655258.{"a":1}')), expected);
    equal(key.signHex("1795655258.", '{"a":1}'), expected);
  }
});
