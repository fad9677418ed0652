/**
 * The key Connect webhooks are signed with: the project webhook's signing key.
 * Pipedream shows it only when it is (re)generated, so the app generates it
 * once, keeps it in its database, and reuses it; PIPEDREAM_WEBHOOK_SIGNING_KEY
 * overrides it when the key is managed elsewhere. No manual step either way.
 */
import type { PipedreamClient } from "@pipedream/sdk";
import type { Db } from "../database/db.ts";
import { getSetting } from "../database/settings.ts";

const SETTING = "connect_webhook_signing_key";

export function createConnectKeyStore(db: Db, pipedream: PipedreamClient, override?: string) {
  let cached: string | undefined = override;
  let pending: Promise<string> | undefined;

  async function ensure(): Promise<string> {
    if (cached) return cached;
    pending ??= (async () => {
      const stored = await getSetting(db, SETTING);
      if (stored) return stored;
      const { data } = await pipedream.projectEnvironment.regenerateWebhookSigningKey();
      await db.execute({
        sql: "INSERT INTO app_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
        args: [SETTING, data.signingKey],
      });
      return (await getSetting(db, SETTING))!;
    })().finally(() => (pending = undefined));
    cached = await pending;
    return cached;
  }

  return {
    /** The key, generating it at Pipedream the first time. */
    ensure,
    /** The key if known, without calling Pipedream (the receiver must not mint keys). */
    async known(): Promise<string | undefined> {
      return cached ?? await getSetting(db, SETTING);
    },
  };
}
export type ConnectKeyStore = ReturnType<typeof createConnectKeyStore>;
