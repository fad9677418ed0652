/**
 * A locked, read-only or vanished database is an outage to report, not a bug
 * to crash on: it answers 503 with Retry-After, and the next request tries again.
 */
import { ApiError } from "./errors.ts";

const STORAGE_CODES = /SQLITE_(BUSY|LOCKED|READONLY|CANTOPEN|IOERR|FULL|PROTOCOL)/;

export function storageError(err: unknown): ApiError | undefined {
  if (!(err instanceof Error)) return undefined;
  const code = (err as { code?: unknown }).code;
  const text = `${typeof code === "string" ? code : ""} ${err.message}`;
  if (
    !STORAGE_CODES.test(text) && !/database is locked|readonly database|unable to open database/i.test(text)
  ) {
    return undefined;
  }
  return storageUnavailable();
}

/** The answer to a storage outage: 503, try again in a moment. */
export function storageUnavailable(): ApiError {
  return new ApiError(503, "storage_unavailable", "Storage is temporarily unavailable; try again shortly.", {
    "Retry-After": "2",
  });
}
