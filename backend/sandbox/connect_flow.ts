/**
 * What happens when a user approves (or denies) a connection on the Connect
 * page: the token is spent, the account created, and the Connect webhook
 * queued for the token's webhook URI, signed with the project's key.
 */
import { scopeAllows } from "./scopes.ts";
import type { Db } from "../database/db.ts";
import type { Clock } from "../lib/clock.ts";
import { checkCredentials } from "./catalog/credentials.ts";
import { findApp } from "./catalog/index.ts";
import type { Deliveries } from "./deliveries.ts";
import {
  findConnectToken,
  insertAccount,
  newId,
  nextConnectSessionId,
  projectWebhookKey,
  spendConnectToken,
} from "./store.ts";
import { wireAccount } from "./wire.ts";

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
  const sessionId = await nextConnectSessionId(db);

  const notify = async (payload: Record<string, unknown>) => {
    if (!t.webhookUri) return;
    const key = await projectWebhookKey(db);
    await deliveries.enqueue({
      deliveryId: newId("cev_"),
      url: t.webhookUri,
      signingKey: key,
      body: JSON.stringify({
        connect_token: t.token,
        environment: t.environment,
        connect_session_id: sessionId,
        ...payload,
      }),
    });
  };
  const fail = async (status: number, error: string): Promise<ConnectResult> => {
    await notify({ event: "CONNECTION_ERROR", error });
    return { ok: false, status, error, redirect: t.errorRedirectUri ?? undefined };
  };

  if (input.decision === "deny") return fail(403, "The user denied access");
  const checked = checkCredentials(app, input.fields);
  if (!checked.ok) return { ok: false, status: 400, error: checked.error };
  const credentials = checked.credentials;
  if (!await spendConnectToken(db, t.token, clock.now())) {
    return { ok: false, status: 409, error: "This connect token was already used to connect an account" };
  }
  const now = clock.now();
  const account = {
    id: newId("apn_"),
    externalUserId: t.externalUserId,
    app: app.slug,
    name: `${t.externalUserId.slice(0, 12)}@${app.slug}.sandbox`,
    credentials,
    healthy: true,
    createdAt: now,
    updatedAt: now,
  };
  await insertAccount(db, account);
  await notify({ event: "CONNECTION_SUCCESS", account: wireAccount(account, app, input.base, false) });
  return { ok: true, accountId: account.id, redirect: t.successRedirectUri ?? undefined };
}
