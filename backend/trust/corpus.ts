/**
 * A generated corpus of hostile inputs: wrong types, huge strings, deep
 * nesting, unicode edge cases and prototype-pollution keys, applied to every
 * field of a valid body, and to paths and queries. Deterministic, so a failure
 * names a case that reproduces.
 */

const HUGE = "x".repeat(300_000);
const LONG = "y".repeat(5_000);

function deep(n: number): unknown {
  let v: unknown = "leaf";
  for (let i = 0; i < n; i++) v = { a: v };
  return v;
}

export const HOSTILE_VALUES: Array<[string, unknown]> = [
  ["null", null],
  ["true", true],
  ["zero", 0],
  ["negative", -1],
  ["float", 1.5],
  ["NaN-string", "NaN"],
  ["empty string", ""],
  ["array", []],
  ["array of junk", [1, "two", null]],
  ["object", {}],
  ["long string", LONG],
  ["deep nesting", deep(64)],
  ["nul byte", "a\u0000b"],
  ["lone surrogate", "\ud800"],
  ["rtl override", "\u202eevil"],
  ["emoji", "🙂".repeat(100)],
  ["path traversal", "../../etc/passwd"],
  ["url-encoded traversal", "..%2f..%2f"],
  ["sql", "'; DROP TABLE action_runs; --"],
  ["html", "<script>alert(1)</script>"],
  ["__proto__ object", JSON.parse('{"__proto__": {"polluted": true}}')],
  ["constructor object", { constructor: { prototype: { polluted: true } } }],
];

/** Raw bodies that are not valid JSON objects at all. */
export const HOSTILE_BODIES: Array<[string, string]> = [
  ["empty", ""],
  ["not json", "{"],
  ["trailing garbage", '{"a":1} x'],
  ["json string", '"hello"'],
  ["json number", "42"],
  ["json null", "null"],
  ["json array", "[]"],
  ["huge body", JSON.stringify({ pad: HUGE })],
  ["deep body", JSON.stringify(deep(5000))],
  ["proto body", '{"__proto__":{"polluted":true}}'],
];

/** Every variant of `valid` with one field replaced, removed, or an unknown field added. */
export function mutations(valid: Record<string, unknown>, optional: string[] = []): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (const key of Object.keys(valid)) {
    for (const [name, value] of HOSTILE_VALUES) {
      if (JSON.stringify(value) === JSON.stringify(valid[key])) continue;
      out.push([`${key} = ${name}`, { ...valid, [key]: value }]);
    }
    const { [key]: _removed, ...rest } = valid;
    if (!optional.includes(key)) out.push([`${key} missing`, rest]);
  }
  out.push(["unknown field", { ...valid, externalUserId: "someone-else" }]);
  // Spliced into the JSON text: as an object literal key, __proto__ would set the prototype instead.
  const sep = Object.keys(valid).length ? "," : "";
  out.push([
    "__proto__ field",
    JSON.parse(JSON.stringify(valid).replace(/^\{/, `{"__proto__":{"x":1}${sep}`)),
  ]);
  return out;
}

/** Hostile path segments for routes that take an id. */
export const HOSTILE_IDS: string[] = [
  "x",
  "apn_",
  "dc_",
  "apn_" + "a".repeat(300),
  "%00",
  "..%2F..%2Fsandbox%2Fv1",
  "%F0%9F%99%82",
  "%E2%80%AE",
  "__proto__",
  "constructor",
  "'%20OR%201=1",
];

/** Hostile query strings for list routes. */
export const HOSTILE_QUERIES: string[] = [
  "cursor=" + encodeURIComponent("'; DROP TABLE x; --"),
  "cursor=" + "z".repeat(5000),
  "trigger=../../x",
  "trigger=dc_" + "a".repeat(300),
  "trigger=%00",
  "cursor=-1",
  "cursor=NaN",
  "__proto__[x]=1",
  "trigger=dc_a&trigger=dc_b",
];
