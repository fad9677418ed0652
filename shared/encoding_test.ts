import { deepStrictEqual, equal, throws } from "node:assert/strict";
import { Buffer } from "node:buffer";
import { fromBase64, fromBase64Text, toBase64, toBase64Url, toHex } from "./encoding.ts";

// Node's Buffer is an independent implementation to compare against.
const samples = [
  new Uint8Array([]),
  new Uint8Array([0]),
  new Uint8Array([0xff, 0xfe, 0xfd]),
  new Uint8Array([0xfb, 0xff]),
  Uint8Array.from({ length: 256 }, (_, i) => i),
];

Deno.test("hex and base64 agree with an independent encoder for every byte value", () => {
  for (const bytes of samples) {
    const buf = Buffer.from(bytes);
    equal(toHex(bytes), buf.toString("hex"));
    equal(toBase64(bytes), buf.toString("base64"));
    equal(toBase64Url(bytes), buf.toString("base64url"));
    deepStrictEqual(fromBase64(toBase64(bytes)), bytes);
    deepStrictEqual(fromBase64(toBase64Url(bytes)), bytes);
  }
});

Deno.test("strings are encoded as UTF-8", () => {
  equal(toHex("é"), "c3a9");
  equal(toBase64("c:20"), "YzoyMA==");
  equal(toBase64Url("https://x.example/?a=ü"), Buffer.from("https://x.example/?a=ü").toString("base64url"));
  equal(fromBase64Text(toBase64Url("/v1/records?q=ü")), "/v1/records?q=ü");
});

Deno.test("decoding refuses what is not base64, or not UTF-8 when text is asked for", () => {
  for (const bad of ["a", "ab$c", "@@@@", "YQ==YQ", "a b"]) throws(() => fromBase64(bad), SyntaxError, bad);
  throws(() => fromBase64Text(toBase64(new Uint8Array([0xff]))), SyntaxError);
  equal(fromBase64Text(""), "");
});
