/**
 * Pure rules for a component form's values, kept apart from React so they are
 * tested on their own (form_values_test.ts): which values a change makes
 * stale, what an integer field's text means, which values may go into a
 * shareable URL, and which account a form should start with.
 */
import type { AccountView } from "../../shared/api.ts";

/** The parts of a connect-react prop these rules read. */
export type PropSpec = {
  name: string;
  type: string;
  label?: string;
  optional?: boolean;
  hidden?: boolean;
  secret?: boolean;
  remoteOptions?: boolean;
  reloadProps?: boolean;
  app?: string;
  min?: number;
  max?: number;
};
export type Values = Record<string, unknown>;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * A remote-options prop's choices are computed from the props before it
 * (connect-react sends them to configureProp), so when the user changes one
 * prop, every later remote-options value was chosen from a list that may no
 * longer hold it: Spreadsheet and Worksheet belong to the Drive they were
 * picked in. Those values are dropped. Only a single-prop change counts as the
 * user's: the form also rewrites several values at once when it fills defaults.
 */
export function clearDependents(props: PropSpec[], prev: Values, next: Values): Values {
  const names = new Set([...Object.keys(prev), ...Object.keys(next)]);
  const changed = [...names].filter((n) => !same(prev[n], next[n]));
  if (changed.length !== 1) return next;
  const at = props.findIndex((p) => p.name === changed[0]);
  if (at < 0 || prev[changed[0]] === undefined) return next;
  let out = next;
  for (const p of props.slice(at + 1)) {
    if ((p.remoteOptions || p.type === "$.discord.channel") && out[p.name] !== undefined) {
      if (out === next) out = { ...next };
      delete out[p.name];
    }
  }
  return out;
}

/**
 * What is wrong with an integer field's value, in words, or undefined.
 * `text` is what the user typed when it is not a plain number: the form keeps
 * it (never rounding 1.5 to 1) so the field can say what is wrong.
 */
export function integerProblem(prop: PropSpec, value: unknown): string | undefined {
  if (value === undefined || value === "") return undefined;
  const text = String(value).trim();
  if (!/^-?\d+$/.test(text)) return "Enter a whole number (no decimals or exponents).";
  const n = Number(text);
  if (typeof prop.min === "number" && n < prop.min) {
    return `Must be at least ${prop.min.toLocaleString("en-US")}.`;
  }
  if (typeof prop.max === "number" && n > prop.max) {
    return `Must be at most ${prop.max.toLocaleString("en-US")}.`;
  }
  return undefined;
}

/** Integer fields' text as numbers, for the request (only called once every field is valid). */
export function withIntegers(props: PropSpec[], values: Values): Values {
  const out = { ...values };
  for (const p of props) {
    if (p.type === "integer" && typeof out[p.name] === "string" && /^-?\d+$/.test(out[p.name] as string)) {
      out[p.name] = Number(out[p.name]);
    }
  }
  return out;
}

/** The prop types connect-react checks itself (see its form provider). */
const CHECKED_TYPES = new Set(["app", "boolean", "integer", "string", "string[]"]);

/**
 * A required prop of a type connect-react does not check (an object, say)
 * that is still empty: the browser's own validation stops Submit then, so the
 * summary beside Submit should say so too.
 */
export function missingUnchecked(prop: PropSpec, value: unknown): boolean {
  if (prop.optional || prop.hidden || CHECKED_TYPES.has(prop.type) || prop.type.startsWith("$.")) {
    return false;
  }
  if (prop.type === "alert") return false;
  if (value === undefined || value === null || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === "object" && Object.keys(value).length === 0;
}

/** connect-react's validation codes, as a person would say them. */
export function describeFormError(code: string, prop: PropSpec): string {
  switch (code) {
    case "required":
    case "empty array":
    case "no app configured":
      return prop.type === "app" ? "Choose or connect an account." : "Required.";
    case "number too small":
      return `Must be at least ${prop.min?.toLocaleString("en-US")}.`;
    case "number too big":
      return `Must be at most ${prop.max?.toLocaleString("en-US")}.`;
    case "not a number":
      return "Enter a whole number.";
    default:
      return code.charAt(0).toUpperCase() + code.slice(1) + ".";
  }
}

/**
 * The values that may go into a URL someone else can open: no secret props,
 * and no accounts (they are the sender's; the receiver's form picks theirs).
 * Remote-option values keep their `{__lv: {label, value}}` wrapper so the
 * field shows its label again before its options load.
 */
export function shareableValues(props: PropSpec[], values: Values): Values {
  const out: Values = {};
  for (const [k, v] of Object.entries(values)) {
    const p = props.find((x) => x.name === k);
    if (!p || p.secret || p.type === "app" || v === undefined) continue;
    out[k] = v;
  }
  return out;
}

/** A restored value object is only trusted when it is plain JSON data. */
export function parseValues(text: string | null | undefined): Values | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text);
    return v && typeof v === "object" && !Array.isArray(v) ? v as Values : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The account a form should start with for an app: the one used last in this
 * browser if it is still connected and working, else the newest working one,
 * else the newest. Never "connect a new account".
 */
export function pickAccount(
  accounts: AccountView[],
  app: string,
  lastUsed?: string,
): AccountView | undefined {
  const mine = accounts.filter((a) => a.app?.nameSlug === app);
  const working = mine.filter((a) => a.healthy && !a.dead);
  const last = working.find((a) => a.id === lastUsed);
  if (last) return last;
  const newest = (list: AccountView[]) =>
    [...list].sort((a, b) => (b.createdAt ?? "").localeCompare(a.createdAt ?? ""))[0];
  return newest(working) ?? newest(mine);
}

/** A short, distinguishing label for an account: its name, the end of its id, and when it was connected. */
export function accountLabel(a: { id: string; name?: string | null; createdAt?: string | Date }): string {
  const when = a.createdAt ? new Date(a.createdAt) : undefined;
  const date = when && !Number.isNaN(when.getTime())
    ? when.toLocaleDateString(undefined, { dateStyle: "medium" })
    : undefined;
  return [a.name || "Unnamed account", `…${a.id.slice(-6)}`, date && `connected ${date}`]
    .filter(Boolean).join(" · ");
}

/** The account id an app prop's value names, if any. */
export function accountIdOf(value: unknown): string | undefined {
  if (value && typeof value === "object" && "authProvisionId" in value) {
    const id = (value as { authProvisionId?: unknown }).authProvisionId;
    return typeof id === "string" ? id : undefined;
  }
  return undefined;
}

/** A value as a person reads it: the label of `{__lv}` options, the text of anything else. */
export function displayValue(value: unknown): string {
  if (value && typeof value === "object" && "__lv" in value) {
    const lv = (value as { __lv: unknown }).__lv;
    if (Array.isArray(lv)) return lv.map(displayValue).join(", ");
    if (lv && typeof lv === "object") {
      const o = lv as { label?: unknown; value?: unknown };
      return String(o.label ?? o.value ?? "");
    }
  }
  if (Array.isArray(value)) return value.map(displayValue).join(", ");
  if (value && typeof value === "object") return JSON.stringify(value);
  return String(value ?? "");
}

/** `{__lv: {label, value}}` wrappers replaced by their values: what a run sends, written plainly. */
export function unwrapOptions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapOptions);
  if (value && typeof value === "object") {
    if ("__lv" in value) {
      const lv = (value as { __lv: unknown }).__lv;
      if (Array.isArray(lv)) return lv.map((o) => unwrapOptions({ __lv: o }));
      if (lv && typeof lv === "object" && "value" in lv) return (lv as { value: unknown }).value;
      return lv;
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapOptions(v)]));
  }
  return value;
}

export type SdkError = { name: string; message: string };

const REQUIRED_CODES = new Set(["required", "empty array", "no app configured"]);
/**
 * connect-react's own bookkeeping, not the user's doing: a field checked
 * before it finished mounting. Never shown; the form is revalidated instead.
 */
export const INTERNAL_CODES = new Set(["field not registered", "app field not registered"]);
const RANGE_CODES = new Set(["number too small", "number too big", "not a number"]);

/**
 * The errors a run or reload returned that name this prop: Pipedream's
 * messages start with the prop's name ("email must be an email address") or
 * list it ("Missing required props: title, amount").
 */
export function sdkErrorsFor(prop: PropSpec, errors: SdkError[]): string[] {
  const out: string[] = [];
  for (const e of errors) {
    const m = e.message ?? "";
    const missing = m.match(/^Missing required props?: (.+)$/i);
    if (missing) {
      if (missing[1].split(/,\s*/).includes(prop.name)) out.push("Required.");
      continue;
    }
    const lead = m.match(/^([A-Za-z_$][\w$]*)\b/)?.[1];
    if (lead === prop.name) out.push(m.charAt(0).toUpperCase() + m.slice(1));
  }
  return out;
}

/**
 * What to say under one field. `codes` are connect-react's validation results
 * for it; "required" is said once the field was emptied or Submit was
 * pressed, or always in the summary beside Submit (`forSummary`).
 */
export function fieldMessages(
  prop: PropSpec,
  value: unknown,
  codes: string[],
  opts: { badInput?: boolean; touched?: boolean; attempted?: boolean; forSummary?: boolean },
): string[] {
  const out: string[] = [];
  if (prop.type === "integer") {
    const problem = opts.badInput ? "Enter a whole number." : integerProblem(prop, value);
    if (problem) out.push(problem);
  }
  for (const code of codes) {
    if (INTERNAL_CODES.has(code)) continue;
    if (prop.type === "integer" && RANGE_CODES.has(code)) continue;
    if (REQUIRED_CODES.has(code)) {
      if (out.length || !(opts.forSummary || opts.touched || opts.attempted)) continue;
    }
    const text = describeFormError(code, prop);
    if (!out.includes(text)) out.push(text);
  }
  return out;
}
