/**
 * List a user's connected accounts (never with credentials: those stay with
 * Pipedream). Run: deno run -A scratchpad/list_accounts.ts
 */
import { externalUserId, pd, print } from "./client.ts";

const page = await pd.accounts.list({ externalUserId });
const accounts = [];
for await (const account of page) {
  accounts.push({ id: account.id, app: account.app?.nameSlug, name: account.name, healthy: account.healthy });
}
print(`accounts of ${externalUserId}`, accounts);
