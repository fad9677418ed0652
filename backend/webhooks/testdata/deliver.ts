/** Test helper: a trigger delivery in the observed live format, as Pipedream (and the sandbox) sends it. */
import { deliveryContextHeaders, signatureHeaders } from "../../lib/webhook_format.ts";
import { SANDBOX_CREDENTIALS } from "../../sandbox/credentials.ts";

/** The deployment a delivery is for, and the key that signs it. */
export type Target = { deploymentId: string; externalUserId: string; key: string };

/** A bare emitted event (no envelope), distinct per id. */
export function eventBody(id: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ n: id, ...extra });
}

/** The headers of a delivery to `target` in the live format, signing `signedBody` at `now`. */
export function deliveryHeaders(target: Target, signedBody: string, now: number): Record<string, string> {
  return {
    "content-type": "application/json",
    ...deliveryContextHeaders({
      emitterId: target.deploymentId,
      externalUserId: target.externalUserId,
      projectId: SANDBOX_CREDENTIALS.projectId,
      environment: SANDBOX_CREDENTIALS.environment,
    }),
    ...signatureHeaders(target.key, signedBody, now),
  };
}

export async function deliver(
  url: string,
  target: Target,
  body: string,
  /** `headers`: overrides (null removes one); `signedBody`: what the signature covers, if not `body`. */
  opts: { now?: number; headers?: Record<string, string | null>; signedBody?: string } = {},
): Promise<Response> {
  const headers = deliveryHeaders(target, opts.signedBody ?? body, opts.now ?? Date.now());
  for (const [name, value] of Object.entries(opts.headers ?? {})) {
    if (value === null) delete headers[name];
    else headers[name] = value;
  }
  return await fetch(`${url}/webhooks/pipedream/triggers`, { method: "POST", headers, body });
}
