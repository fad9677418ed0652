/** Test helper: a signed trigger-event delivery, as Pipedream (and the sandbox) sends it. */
import { signDelivery } from "../../lib/webhook_signature.ts";

export function eventBody(
  deploymentId: string,
  id: string,
  event: Record<string, unknown> = { n: id },
): string {
  return JSON.stringify({
    event,
    metadata: { emitter_id: deploymentId, id, ts: Date.now(), summary: `event ${id}` },
  });
}

export async function deliver(
  url: string,
  deploymentId: string,
  key: string,
  body: string,
  opts: { id?: string; now?: number; headers?: Record<string, string> } = {},
): Promise<Response> {
  const signed = await signDelivery(key, body, opts.now ?? Date.now(), opts.id ?? crypto.randomUUID());
  return await fetch(`${url}/webhooks/pipedream/triggers`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-pd-emitter-id": deploymentId,
      ...signed,
      ...opts.headers,
    },
    body,
  });
}
