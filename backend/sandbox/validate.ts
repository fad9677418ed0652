/**
 * zod validation of the sandbox's bodies and queries, failing in Pipedream's
 * error shape (http.ts): a `400` whose `error` is the first issue.
 */
import { zValidator } from "@hono/zod-validator";
import type { Context, ValidationTargets } from "hono";
import type { z } from "zod";
import { badRequest } from "./http.ts";

/** How a failed validation reads: the first issue, with its path (or only its message). */
type Describe = (issues: readonly z.core.$ZodIssue[]) => string;
const withPath = (root: string): Describe => ([i]) => `${i.path.join(".") || root}: ${i.message}`;
export const messageOnly: Describe = ([i]) => i.message;

function validate<T extends keyof ValidationTargets, S extends z.ZodType>(
  target: T,
  schema: S,
  describe: Describe,
) {
  return zValidator(target, schema, (result) => {
    if (!result.success) throw badRequest(describe(result.error.issues));
  });
}

/**
 * A JSON body checked against `schema`. The body is read first so that an
 * empty body counts as `{}` and malformed JSON answers with the sandbox's own
 * message (Hono's validator would say something else).
 */
export function json<S extends z.ZodType>(schema: S, describe: Describe = withPath("body")) {
  const check = validate("json", schema, describe);
  return (async (c: Context, next) => {
    const text = await c.req.text();
    let value: unknown;
    try {
      value = text ? JSON.parse(text) : {};
    } catch {
      throw badRequest("Request body is not valid JSON");
    }
    // The validator parses Hono's cached body text (a promise at run time,
    // whatever its type says): hand it the body as read here.
    (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(JSON.stringify(value));
    return check(c, next);
  }) as typeof check;
}

/** The query string checked against `schema`. */
export function query<S extends z.ZodType>(schema: S) {
  return validate("query", schema, withPath("query"));
}
