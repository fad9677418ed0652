/**
 * Run an action for a user, server-side: what POST /api/actions/run does.
 *   deno run -A scratchpad/run_action.ts
 * Sandbox: sends a Slack (sandbox) message, connecting a Slack account for the
 * user first if they have none. Live: set ACCOUNT_ID to one of the user's
 * Slack accounts (or ACTION_ID and PROPS as JSON for any other action).
 */
import { connectAccountViaSandbox } from "../backend/sandbox/testing.ts";
import { config, externalUserId, pd, print, sandboxUrl } from "./client.ts";

async function slackAccount(): Promise<string> {
  const given = Deno.env.get("ACCOUNT_ID");
  if (given) return given;
  for await (const a of await pd.accounts.list({ externalUserId, app: "slack" })) return a.id;
  if (config.mode === "live") throw new Error("Set ACCOUNT_ID to one of the user's Slack accounts");
  // Sandbox only: approve a connection the way the Connect page does.
  const { token } = await pd.tokens.create({ externalUserId });
  const { accountId, error } = await connectAccountViaSandbox(sandboxUrl, token, "slack");
  if (!accountId) throw new Error(`could not connect a sandbox Slack account: ${error}`);
  return accountId;
}

const actionId = Deno.env.get("ACTION_ID") ?? "slack-send-message";
const configuredProps = Deno.env.get("PROPS") ? JSON.parse(Deno.env.get("PROPS")!) : {
  slack: { authProvisionId: await slackAccount() },
  channel: "C01GENERAL",
  text: "Hello from the scratchpad",
};

const result = await pd.actions.run({ id: actionId, externalUserId, configuredProps });
print(`${actionId} returned`, { exports: result.exports, ret: result.ret, os: result.os });
