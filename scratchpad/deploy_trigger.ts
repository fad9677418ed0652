/**
 * Deploy a trigger for a user with its events sent to a webhook URL: what
 * POST /api/triggers does.   deno run -A scratchpad/deploy_trigger.ts
 * Keep the signing key it prints: every event is signed with it.
 */
import { externalUserId, pd, print } from "./client.ts";

const accountId = Deno.env.get("ACCOUNT_ID") ??
  (await Array.fromAsync(await pd.accounts.list({ externalUserId, app: "slack" })))[0]?.id;
if (!accountId) {
  throw new Error("No Slack account for this user: run scratchpad/run_action.ts first, or set ACCOUNT_ID");
}

const webhookUrl = Deno.env.get("WEBHOOK_URL") ??
  `${Deno.env.get("APP_URL") ?? "http://localhost:8000"}/webhooks/pipedream/triggers`;
const { data } = await pd.triggers.deploy({
  id: "slack-new-message",
  externalUserId,
  configuredProps: { slack: { authProvisionId: accountId }, channel: "C01GENERAL" },
  webhookUrl,
});
print("deployed", {
  id: data.id,
  webhookUrl,
  webhookSigningKey: "webhookSigningKey" in data ? data.webhookSigningKey : undefined,
});
