/**
 * A small syntax highlighter for the code view's TypeScript and JSX: enough
 * to tell keywords, strings, comments and tags apart. Loaded with `import()`
 * only when the code view opens.
 */
export type Token = { kind?: "keyword" | "string" | "comment" | "number" | "tag"; text: string };

const KEYWORDS = new Set(
  (
    "import from export const let var function return async await new if else for of in " +
    "throw try catch finally true false null undefined typeof type interface class extends"
  ).split(" "),
);

const PATTERN = new RegExp(
  [
    String.raw`(?<comment>\/\/[^\n]*|\/\*[\s\S]*?\*\/)`,
    String.raw`(?<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|` + "`(?:[^`\\\\]|\\\\.)*`)",
    String.raw`(?<tag><\/?[A-Z][\w.]*|\/>)`,
    String.raw`(?<number>\b\d+(?:\.\d+)?\b)`,
    String.raw`(?<word>[A-Za-z_$][\w$]*)`,
  ].join("|"),
  "g",
);

export function tokenize(code: string): Token[] {
  const out: Token[] = [];
  let at = 0;
  for (const m of code.matchAll(PATTERN)) {
    if (m.index > at) out.push({ text: code.slice(at, m.index) });
    const g = m.groups ?? {};
    const kind = g.comment !== undefined
      ? "comment"
      : g.string !== undefined
      ? "string"
      : g.tag !== undefined
      ? "tag"
      : g.number !== undefined
      ? "number"
      : KEYWORDS.has(m[0])
      ? "keyword"
      : undefined;
    const last = out[out.length - 1];
    if (!kind && last && !last.kind) last.text += m[0];
    else out.push(kind ? { kind, text: m[0] } : { text: m[0] });
    at = m.index + m[0].length;
  }
  if (at < code.length) out.push({ text: code.slice(at) });
  return out;
}
