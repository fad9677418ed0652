/**
 * Errors as the API answers them: `{"error":{"code","message"}}` with a status.
 * Route code throws `ApiError`; upstream (Pipedream) failures are mapped here too,
 * so every failure a browser sees has one shape.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    /** Extra response headers; a list is sent as that many headers (Set-Cookie). */
    readonly headers: Record<string, string | string[]> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const notFound = (what: string) => new ApiError(404, "not_found", `${what} not found`);

/** Sets an error's extra headers on the response being built. */
export function setErrorHeaders(c: Context, err: ApiError): void {
  for (const [k, v] of Object.entries(err.headers)) {
    if (typeof v === "string") c.header(k, v);
    else for (const one of v) c.header(k, one, { append: true });
  }
}

export function errorResponse(c: Context, err: ApiError): Response {
  setErrorHeaders(c, err);
  return c.json({ error: { code: err.code, message: err.message } }, err.status);
}
