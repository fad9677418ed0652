/**
 * The sandbox's HTTP plumbing: the variables its routes share, its one error
 * type (answered in Pipedream's shape, `{"error": string, "code"?: string}`),
 * and zod validation of bodies and queries that fails in that same shape.
 * Routes throw; mod.ts's one error handler renders.
 */
import { zValidator } from "@hono/zod-validator";
import type { Context, ValidationTargets } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import { ApiError, setErrorHeaders } from "../http/errors.ts";
import type { ConnectToken } from "./store.ts";

/** Who is calling: the project's server (OAuth access token) or a browser (connect token). */
export type Caller = { kind: "server" } | { kind: "browser"; token: ConnectToken };
export type SandboxEnv = { Variables: { caller: Caller; base: string } };

/** A failure answered as Pipedream answers it: some of its errors carry no code, some `details`. */
export class PipedreamApiError extends ApiError {
  constructor(
    status: ContentfulStatusCode,
    message: string,
    code?: string,
    headers: Record<string, string> = {},
    readonly details?: Record<string, unknown>,
  ) {
    super(status, code ?? "", message, headers);
    this.name = "PipedreamApiError";
  }
}

export const badRequest = (message: string) => new PipedreamApiError(400, message, "bad_request");
export const notFound = (message: string) => new PipedreamApiError(404, message, "not_found");

/** Pipedream's `ErrorResponse`: `error`, and `code` and `details` when there are any. */
export function pipedreamErrorBody(
  message: string,
  code?: string,
  details?: Record<string, unknown>,
): { error: string; code?: string; details?: Record<string, unknown> } {
  return { error: message, ...(code ? { code } : {}), ...(details ? { details } : {}) };
}

/** Any error, once mapped (http/error_mapping.ts), in Pipedream's shape. */
export function pipedreamErrorResponse(c: Context, err: ApiError): Response {
  setErrorHeaders(c, err);
  const details = err instanceof PipedreamApiError ? err.details : undefined;
  return c.json(pipedreamErrorBody(err.message, err.code, details), err.status);
}

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
