/**
 * Send a correctly signed test event to the app's webhook, as Pipedream
 * would for a deployed trigger. Use a trigger deployed through the app (its
 * id is in the Triggers tab, your user id at the top of the page):
 *   DEPLOYED_TRIGGER_ID=dc_… EXTERNAL_USER_ID=u_… deno run -A scratchpad/send_test_webhook.ts
 */
import { signDelivery } from "../backend/lib/webhook_signature.ts";
import { pd } from "./client.ts";

const triggerId = Deno.env.get("DEPLOYED_TRIGGER_ID");
const userId = Deno.env.get("EXTERNAL_USER_ID");
if (!triggerId || !userId) {
  throw new Error("Set DEPLOYED_TRIGGER_ID and EXTERNAL_USER_ID (both shown in the app)");
}
const appUrl = Deno.env.get("APP_URL") ?? "http://localhost:8000";

// The signing key comes from Pipedream: the trigger's webhooks, which show it to the server's token
// (a deployment read shows it only in the deploy response).
const { webhooks } = await pd.deployedTriggers.listWebhooks(triggerId, { externalUserId: userId });
const key = webhooks?.find((w) => w.signingKey)?.signingKey;
if (!key) throw new Error("This deployment has no webhook signing key");

const id = `evt_test_${crypto.randomUUID().slice(0, 8)}`;
const body = JSON.stringify({
  event: { text: "A signed test event from the scratchpad", sentAt: new Date().toISOString() },
  metadata: { emitter_id: triggerId, id, ts: Date.now(), summary: "Test event from scratchpad" },
});
const res = await fetch(`${appUrl}/webhooks/pipedream/triggers`, {
  method: "POST",
  headers: {
    "content-type": "application/json",
    "x-pd-emitter-id": triggerId,
    ...await signDelivery(key, body, Date.now(), id),
  },
  body,
});
console.log(`POST ${appUrl}/webhooks/pipedream/triggers → ${res.status} ${await res.text()} (event ${id})`);
if (!res.ok) Deno.exit(1);
