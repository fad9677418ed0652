/**
 * The sandbox's HTTP plumbing: the variables its routes share and its one
 * error type (answered in Pipedream's shape, `{"error": string, "code"?:
 * string}`). Routes throw; mod.ts's one error handler renders. Validation,
 * which fails in that same shape, is validate.ts.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
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
