/**
 * JSON pretty-printed (2-space indent, like JSON.stringify) within bounds, so
 * a huge or deeply nested event renders in constant time and space: strings,
 * arrays and objects past their limit are cut with a note of what was left
 * out, nesting past `maxDepth` is summarised, and the whole text stops at
 * `maxChars`. `scale` multiplies every bound ("show more"). With
 * `pretty: false` it is one line (a preview).
 */
export type Bounds = { maxDepth: number; maxItems: number; maxString: number; maxChars: number };

export const DEFAULT_BOUNDS: Bounds = { maxDepth: 10, maxItems: 50, maxString: 500, maxChars: 20_000 };

export function scaled(b: Bounds, scale: number): Bounds {
  return {
    maxDepth: b.maxDepth * scale,
    maxItems: b.maxItems * scale,
    maxString: b.maxString * scale,
    maxChars: b.maxChars * scale,
  };
}

class Full extends Error {}

/** A one-line glimpse of an event, for its row in a list. */
export const PREVIEW_BOUNDS: Bounds = { maxDepth: 3, maxItems: 8, maxString: 80, maxChars: 160 };

export function boundedJson(
  value: unknown,
  bounds: Bounds = DEFAULT_BOUNDS,
  { pretty = true }: { pretty?: boolean } = {},
): { text: string; truncated: boolean } {
  let out = "";
  let truncated = false;
  const emit = (s: string) => {
    if (out.length + s.length > bounds.maxChars) {
      out += s.slice(0, Math.max(0, bounds.maxChars - out.length));
      throw new Full();
    }
    out += s;
  };
  const more = (n: number, what: string) => {
    truncated = true;
    return `… ${n} more ${what}${n === 1 ? "" : "s"}`;
  };

  const write = (v: unknown, depth: number, indent: string): void => {
    if (typeof v === "string") {
      if (v.length <= bounds.maxString) return emit(JSON.stringify(v));
      truncated = true;
      return emit(
        `${JSON.stringify(v.slice(0, bounds.maxString))}… (${v.length - bounds.maxString} more chars)`,
      );
    }
    if (v === null || typeof v !== "object") return emit(JSON.stringify(v) ?? "null");
    const isArray = Array.isArray(v);
    const keys = isArray ? [] : Object.keys(v);
    const size = isArray ? v.length : keys.length;
    const [open, close] = isArray ? ["[", "]"] : ["{", "}"];
    if (size === 0) return emit(open + close);
    if (depth >= bounds.maxDepth) {
      truncated = true;
      return emit(`${open} … ${size} ${isArray ? "item" : "key"}${size === 1 ? "" : "s"} ${close}`);
    }
    const inner = pretty ? indent + "  " : "";
    const line = (ind: string) => (pretty ? `\n${ind}` : "");
    emit(open);
    const shown = Math.min(size, bounds.maxItems);
    for (let i = 0; i < shown; i++) {
      emit(line(inner));
      if (isArray) write(v[i], depth + 1, inner);
      else {
        emit(`${JSON.stringify(keys[i])}:${pretty ? " " : ""}`);
        write((v as Record<string, unknown>)[keys[i]], depth + 1, inner);
      }
      if (i < size - 1) emit(",");
    }
    if (shown < size) emit(`${line(inner)}${more(size - shown, isArray ? "item" : "key")}`);
    emit(`${line(indent)}${close}`);
  };

  try {
    write(value, 0, "");
  } catch (err) {
    if (!(err instanceof Full)) throw err;
    truncated = true;
    out += pretty ? "\n…" : "…";
  }
  return { text: out, truncated };
}
