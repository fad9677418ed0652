/**
 * User input in log lines, escaped: a CR or LF in a header value, a path or
 * an error message could otherwise start a line of its own and forge an
 * entry. Control characters (and Unicode line separators) become visible
 * escapes; long values are cut.
 */
// deno-lint-ignore no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

export function logSafe(value: unknown, max = 500): string {
  const text = value instanceof Error ? `${value.name}: ${value.message}` : String(value);
  const escaped = text.replace(CONTROL, (ch) => {
    if (ch === "\n") return "\\n";
    if (ch === "\r") return "\\r";
    if (ch === "\t") return "\\t";
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
  return escaped.length > max ? `${escaped.slice(0, max)}…` : escaped;
}

/** An error's stack with every line's user input escaped, for bugs logged with their stack. */
export function logSafeStack(err: unknown): string {
  if (!(err instanceof Error) || !err.stack) return logSafe(err);
  // The message (user input may be in it, over several lines) is escaped; the frames are ours.
  const frames = err.stack.split("\n").filter((line) => /^\s+at /.test(line));
  return [logSafe(err, 2000), ...frames].join("\n");
}
