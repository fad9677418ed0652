/**
 * Send a test event to the app's webhook exactly as Pipedream delivers one
 * (the observed live format: backend/lib/webhook_format.ts), for a trigger
 * deployed through the app (its id is in the Triggers tab, your user id at the
 * top of the page):
 *   DEPLOYED_TRIGGER_ID=dc_… EXTERNAL_USER_ID=u_… deno run -A scratchpad/send_test_webhook.ts
 * The signing key is read from the trigger's webhooks (the server's token sees
 * it); the app also keeps it (deployed_triggers.signing_key): pass it as
 * WEBHOOK_SIGNING_KEY to skip the lookup.
 */
import { deliveryContextHeaders, signatureHeaders } from "../backend/lib/webhook_format.ts";
import { projectEnvironmentFor, projectIdFor } from "../backend/pipedream/client.ts";
import { config, pd } from "./client.ts";

const triggerId = Deno.env.get("DEPLOYED_TRIGGER_ID");
const userId = Deno.env.get("EXTERNAL_USER_ID");
if (!triggerId || !userId) {
  throw new Error("Set DEPLOYED_TRIGGER_ID and EXTERNAL_USER_ID (both shown in the app)");
}
const appUrl = Deno.env.get("APP_URL") ?? "http://localhost:8000";

/** WEBHOOK_SIGNING_KEY, or Pipedream's: the trigger's webhooks show it to the server's token. */
async function signingKey(): Promise<string> {
  const fromEnv = Deno.env.get("WEBHOOK_SIGNING_KEY");
  if (fromEnv) return fromEnv;
  const { webhooks } = await pd.deployedTriggers.listWebhooks(triggerId!, { externalUserId: userId! });
  const key = webhooks?.find((w) => w.signingKey)?.signingKey;
  if (!key) throw new Error("No signing key for this deployment: set WEBHOOK_SIGNING_KEY");
  return key;
}

// The bare event, as the trigger would have emitted it: no envelope, no id.
const body = JSON.stringify({ text: "A test event from the scratchpad", sentAt: new Date().toISOString() });
const res = await fetch(`${appUrl}/webhooks/pipedream/triggers`, {
  method: "POST",
  headers: {
    "content-type": "application/json",
    ...deliveryContextHeaders({
      emitterId: triggerId,
      externalUserId: userId,
      projectId: projectIdFor(config),
      environment: projectEnvironmentFor(config),
    }),
    ...await signatureHeaders(await signingKey(), body, Date.now()),
  },
  body,
});
console.log(`POST ${appUrl}/webhooks/pipedream/triggers → ${res.status} ${await res.text()}`);
if (!res.ok) {
  console.log("The app logs why it refused a delivery: look for 'webhook refused' in its output.");
  Deno.exit(1);
}
