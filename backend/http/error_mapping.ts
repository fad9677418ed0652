/**
 * The one mapping from a thrown error to what an HTTP caller is told:
 * status, code and message (and headers such as Retry-After). The app, the
 * webhook receiver and the sandbox all use it, each rendering the result in
 * its own body shape. Only what is not the caller's fault is logged: a
 * storage outage (503, "try again") and a bug (500, with its stack).
 */
import type { Context, ErrorHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { logSafe, logSafeStack } from "../lib/log_safe.ts";
import { upstreamError } from "../pipedream/upstream_errors.ts";
import { ApiError } from "./errors.ts";
import { storageError } from "./storage_errors.ts";

export const INTERNAL_MESSAGE = "Something went wrong on our side; try again.";

/** Never throws: an error it does not recognise is a bug, answered 500 "internal". */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof HTTPException) {
    return new ApiError(err.status as ContentfulStatusCode, "http_error", err.message || "Request failed");
  }
  return storageError(err) ?? upstreamError(err) ?? new ApiError(500, "internal", INTERNAL_MESSAGE);
}

/** Whether an error means "no such thing": ours or Pipedream's 404. */
export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError ? err.status === 404 : upstreamError(err)?.status === 404;
}

/**
 * A Hono error handler: maps with toApiError, logs outages, bugs and client
 * aborts under `label` (user input escaped: lib/log_safe.ts), and answers
 * with `render` (the app's or Pipedream's body shape, headers included).
 */
export function handleErrors(label: string, render: (c: Context, err: ApiError) => Response): ErrorHandler {
  return (err, c) => {
    // An HTTPException that carries its own response (identify's redirect to a sign-in page) is that answer.
    if (err instanceof HTTPException && err.res) return err.getResponse();
    const mapped = toApiError(err);
    const where = `${c.req.method} ${logSafe(c.req.path)}`;
    if (mapped.code === "internal") console.error(`${label}: unhandled error ${where}\n${logSafeStack(err)}`);
    else if (mapped.code === "storage_unavailable") {
      console.error(`${label}: storage error ${where}: ${logSafe((err as Error).message)}`);
    } else if (mapped.code === "client_aborted") {
      // Nobody is waiting for this answer; one line says what happened.
      console.error(`${label}: client closed the connection mid-upload ${where}`);
    }
    return render(c, mapped);
  };
}
