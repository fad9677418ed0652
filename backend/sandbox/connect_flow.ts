/**
 * What happens when a user approves (or denies) a connection on the Connect
 * page: the token is spent, the account created in the token's environment
 * (or, reconnecting with `accountId`, the same account given new
 * credentials), and the Connect webhook queued for the token's webhook URI,
 * in the documented body (flat, no envelope;
 * https://pipedream.com/docs/connect/webhooks). Documented unsigned, so sent
 * unsigned unless the `sign` delivery fault asks for the environment's
 * project key's `x-pd-signature` (one third-party receiver expects it).
 */
import { scopeAllows } from "./scopes.ts";
import type { Db } from "../database/db.ts";
import type { Clock } from "../lib/clock.ts";
import { toHex } from "../../shared/encoding.ts";
import { checkCredentials } from "./catalog/credentials.ts";
import { findApp } from "./catalog/index.ts";
import type { Deliveries } from "./deliveries.ts";
import {
  findAccount,
  findConnectToken,
  insertAccount,
  newId,
  projectWebhookKey,
  refreshAccount,
  spendConnectToken,
} from "./store.ts";
import { type AccountRow, wireAccount } from "./wire.ts";

export type ConnectResult =
  | { ok: true; accountId: string; redirect?: string }
  | { ok: false; status: number; error: string; redirect?: string };

export async function completeConnection(
  deps: { db: Db; clock: Clock; deliveries: Deliveries },
  input: {
    token: string;
    app: string;
    decision: "approve" | "deny";
    fields?: Record<string, string>;
    /** Reconnect this account (`connectAccount({ accountId })`) instead of creating one. */
    accountId?: string;
    base: string;
  },
): Promise<ConnectResult> {
  const { db, clock, deliveries } = deps;
  const t = await findConnectToken(db, input.token);
  if (!t || t.expiresAt <= clock.now()) {
    return { ok: false, status: 401, error: t ? "This connect token has expired" : "Invalid connect token" };
  }
  // Connecting creates an account: "Create or remove Connect accounts" is connect:accounts:write.
  if (!scopeAllows(t.scope, "connect:accounts:write")) {
    return { ok: false, status: 403, error: "This connect token's scope does not allow connecting accounts" };
  }
  const app = findApp(input.app);
  if (!app) return { ok: false, status: 404, error: `App ${input.app} not found` };
  // As large as the documented example (1.4058728083872854e+38): a 128-bit
  // id that JSON carries as a float, which a receiver must cope with.
  const sessionId = Number(BigInt(`0x${toHex(crypto.getRandomValues(new Uint8Array(16)))}`));

  const notify = async (event: string, payload: Record<string, unknown>) => {
    if (!t.webhookUri) return;
    const signed = deliveries.signsConnectWebhook(t.webhookUri);
    await deliveries.enqueue({
      deliveryId: newId("cev_"),
      url: t.webhookUri,
      signingKey: signed ? await projectWebhookKey(db, t.environment) : null,
      body: JSON.stringify({
        event,
        connect_token: t.token,
        environment: t.environment,
        connect_session_id: sessionId,
        ...payload,
      }),
    });
  };
  const fail = async (status: number, error: string): Promise<ConnectResult> => {
    await notify("CONNECTION_ERROR", { error });
    return { ok: false, status, error, redirect: t.errorRedirectUri ?? undefined };
  };

  // Reconnecting refreshes one of the token's own user's accounts of this app, in its environment.
  let existing: AccountRow | undefined;
  if (input.accountId !== undefined) {
    existing = await findAccount(db, t.environment, input.accountId);
    if (!existing || existing.externalUserId !== t.externalUserId) {
      return fail(
        404,
        `Account ${input.accountId} is not one of this user's accounts, so it cannot be reconnected`,
      );
    }
    if (existing.app !== app.slug) {
      return fail(400, `Account ${input.accountId} is a ${existing.app} account, not ${app.name}`);
    }
  }
  if (input.decision === "deny") return fail(403, "The user denied access");
  const checked = checkCredentials(app, input.fields);
  if (!checked.ok) return { ok: false, status: 400, error: checked.error };
  const credentials = checked.credentials;
  if (!await spendConnectToken(db, t.token, clock.now())) {
    return { ok: false, status: 409, error: "This connect token was already used to connect an account" };
  }
  const now = clock.now();
  let account: AccountRow;
  if (existing) {
    account = await refreshAccount(db, existing, credentials, now);
  } else {
    account = {
      id: newId("apn_"),
      environment: t.environment,
      externalUserId: t.externalUserId,
      app: app.slug,
      name: `${t.externalUserId.slice(0, 12)}@${app.slug}.sandbox`,
      credentials,
      healthy: true,
      createdAt: now,
      updatedAt: now,
    };
    await insertAccount(db, account);
  }
  // As the documented webhook shows it: the app with its `connect` proxy settings (wireApp has them).
  await notify("CONNECTION_SUCCESS", { account: wireAccount(account, app, input.base, false) });
  return { ok: true, accountId: account.id, redirect: t.successRedirectUri ?? undefined };
}
