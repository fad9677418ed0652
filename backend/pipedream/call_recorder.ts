/**
 * Wraps the fetch the server-side SDK uses, so every Pipedream call made for
 * a user is recorded for the in-app SDK call inspector: method, path, status,
 * duration, and the URL and both bodies redacted by the rules the browser's
 * own recorder uses too (shared/redact.ts). OAuth token exchanges are
 * recorded without bodies. Recording never holds up the call.
 */
import type { Db } from "../database/db.ts";
import { insertSdkCall } from "../database/sdk_calls.ts";
import type { Clock } from "../lib/clock.ts";
import { callPath, redactJsonText } from "../../shared/redact.ts";
import { currentRequestContext } from "./request_context.ts";

/** Each body is kept to 8 KB: the inspector shows what a call was, not a copy of it. */
export const MAX_STORED_BODY_CHARS = 8192;

/** `basePath`: where Pipedream's API starts on its host (`/sandbox` for the embedded sandbox). */
export function recordingFetch(inner: typeof fetch, db: Db, clock: Clock, basePath = ""): typeof fetch {
  return async (input, init) => {
    const userId = currentRequestContext()?.externalUserId;
    if (!userId) return inner(input, init);
    const request = new Request(input, init);
    const started = clock.now();
    const url = new URL(request.url);
    const isAuth = url.pathname.endsWith("/oauth/token");
    const requestText = isAuth || request.body === null ? undefined : await request.clone().text();
    const response = await inner(request);
    const durationMs = Math.max(0, clock.now() - started);
    // Recorded off the response path: the SDK reads its response while a
    // copy is read and stored (the log's readers wait for that instead).
    const copy = isAuth ? undefined : response.clone();
    insertSdkCall(
      db,
      userId,
      (async () => ({
        at: new Date(started).toISOString(),
        method: request.method,
        path: callPath(url, basePath),
        status: response.status,
        durationMs,
        requestBody: redactJsonText(requestText, MAX_STORED_BODY_CHARS),
        responseBody: redactJsonText(await copy?.text().catch(() => undefined), MAX_STORED_BODY_CHARS),
      }))(),
    ).catch((err) => console.error("could not record SDK call:", (err as Error).message));
    return response;
  };
}
