/**
 * How the webhook routes refuse: a generic answer for the caller, the reason
 * in the server log (operators check real deliveries there). Small and
 * loaded with the app, so the routes' error handler needs nothing the
 * receiver loads on first use.
 */
import type { Context, ErrorHandler } from "hono";
import { handleErrors } from "../http/error_mapping.ts";
import { ApiError, errorResponse } from "../http/errors.ts";
import { PD_HEADER } from "../lib/webhook_format.ts";

/** A refused request: the answer is generic, the reason is for the server log. */
export class Refusal extends ApiError {
  constructor(status: 401 | 404, code: string, message: string, readonly reason: string) {
    super(status, code, message);
  }
}

export const notVerified = (reason: string) =>
  new Refusal(401, "invalid_signature", "Webhook not verified", reason);
export const unknownHook = (reason: string) =>
  new Refusal(401, "unknown_webhook", "Webhook not recognized", reason);

/** One line in the log about a webhook: what happened, on which route, with what. */
export type WebhookNote = (c: Context, what: string, fields: Record<string, unknown>) => void;

export function webhookNote(log: (line: string) => void): WebhookNote {
  return (c, what, fields) => log(`webhook ${what} ${JSON.stringify({ route: c.req.routePath, ...fields })}`);
}

/** Refusals are logged with their reason; storage failures answer 503 (recovery brings the event later), bugs a logged 500. */
export function webhookErrors(note: WebhookNote): ErrorHandler {
  const failure = handleErrors("webhook", errorResponse);
  return (err, c) => {
    if (!(err instanceof ApiError)) return failure(err, c);
    note(c, "refused", {
      status: err.status,
      code: err.code,
      reason: err instanceof Refusal ? err.reason : err.message,
      emitter: c.req.header(PD_HEADER.emitterId)?.slice(0, 100),
    });
    return errorResponse(c, err);
  };
}
