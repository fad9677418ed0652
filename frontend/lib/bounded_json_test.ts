import { equal, ok } from "node:assert/strict";
import { boundedJson, DEFAULT_BOUNDS, PREVIEW_BOUNDS, scaled } from "./bounded_json.ts";

Deno.test("within bounds it is exactly JSON.stringify(v, null, 2)", () => {
  const v = { channel: "C01GENERAL", text: "hi", n: [1, 2, { a: null, b: true }], empty: {}, none: [] };
  const out = boundedJson(v);
  equal(out.text, JSON.stringify(v, null, 2));
  equal(out.truncated, false);
  for (const scalar of ["x", 1.5, null, false]) equal(boundedJson(scalar).text, JSON.stringify(scalar));
});

Deno.test("long strings, long arrays, many keys, deep nesting and huge totals are cut, saying what was left out", () => {
  const b = { maxDepth: 3, maxItems: 2, maxString: 5, maxChars: 10_000 };
  equal(boundedJson("abcdefgh", b).text, '"abcde"… (3 more chars)');
  equal(boundedJson([1, 2, 3, 4], b).text, "[\n  1,\n  2,\n  … 2 more items\n]");
  equal(boundedJson({ a: 1, b: 2, c: 3 }, b).text, '{\n  "a": 1,\n  "b": 2,\n  … 1 more key\n}');
  ok(boundedJson([[[[[1]]]]], b).text.includes("[ … 1 item ]"));
  const huge = boundedJson({ big: "x".repeat(5_000_000) }, DEFAULT_BOUNDS);
  ok(huge.truncated && huge.text.length < 1000);
  const wide = boundedJson(Array.from({ length: 100_000 }, (_, i) => ({ i })), DEFAULT_BOUNDS);
  ok(wide.truncated && wide.text.length <= DEFAULT_BOUNDS.maxChars + 2);
});

Deno.test("a hostile event cannot break it: 10,000 levels deep, __proto__ keys, odd values", () => {
  let deep: unknown = "bottom";
  for (let i = 0; i < 10_000; i++) deep = [deep];
  ok(boundedJson(deep).truncated);
  const proto = JSON.parse('{"__proto__": {"polluted": 1}, "constructor": "x"}');
  ok(boundedJson(proto).text.includes('"__proto__"'));
  equal(({} as Record<string, unknown>).polluted, undefined);
  equal(boundedJson({ s: "</pre><script>" }).text, '{\n  "s": "</pre><script>"\n}');
});

Deno.test("show more scales every bound", () => {
  const v = Array.from({ length: 120 }, (_, i) => i);
  ok(boundedJson(v).truncated);
  equal(boundedJson(v, scaled(DEFAULT_BOUNDS, 4)).truncated, false);
});

Deno.test("a preview is one bounded line", () => {
  const v = { type: "message", channel: "C01GENERAL", text: "hello\nworld", n: [1, 2] };
  equal(boundedJson(v, PREVIEW_BOUNDS, { pretty: false }).text, JSON.stringify(v));
  const long = boundedJson({ text: "x".repeat(10_000), more: Array(100).fill(1) }, PREVIEW_BOUNDS, {
    pretty: false,
  });
  ok(long.truncated && !long.text.includes("\n") && long.text.length <= PREVIEW_BOUNDS.maxChars + 1);
});
