import { deepStrictEqual, equal } from "node:assert/strict";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { compress, type Encoding, negotiate } from "./compression.ts";

Deno.test("compressed copies decode to the original, at either effort", async () => {
  const text = new TextEncoder().encode("const answer = 42; ".repeat(2000));
  for (const effort of ["fast", "max"] as const) {
    const br = await compress(text, "br", effort);
    const gz = await compress(text, "gzip", effort);
    deepStrictEqual(new Uint8Array(brotliDecompressSync(br)), text);
    deepStrictEqual(new Uint8Array(gunzipSync(gz)), text);
    equal(br.length < text.length / 10, true);
  }
});

Deno.test("Accept-Encoding: brotli first, then gzip, honouring q=0, wildcards and the old x-gzip", () => {
  const both: Encoding[] = ["br", "gzip"];
  const cases: Array<[string | undefined, Encoding | undefined]> = [
    [undefined, undefined],
    ["", undefined],
    ["identity", undefined],
    ["gzip, deflate, br", "br"],
    ["gzip", "gzip"],
    ["x-gzip", "gzip"],
    ["br;q=0, gzip;q=0.5", "gzip"],
    ["gzip;q=0, br", "br"],
    ["BR ; Q=0.1", "br"],
    ["*", "br"],
    ["*;q=0, gzip", "gzip"],
    ["br;q=0, gzip;q=0", undefined],
    ["br;q=nonsense", undefined],
  ];
  for (const [header, expected] of cases) equal(negotiate(header, both), expected, `${header}`);
  equal(negotiate("br, gzip", ["gzip"]), "gzip");
  equal(negotiate("br, gzip", []), undefined);
});
