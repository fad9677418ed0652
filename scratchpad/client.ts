/**
 * The one Pipedream client every scratchpad script uses. With the four
 * PIPEDREAM_* variables set it is your real project; without them it is the
 * sandbox of a locally running app (`deno task start`), at SANDBOX_URL
 * (default http://localhost:8000/sandbox). Same SDK calls either way.
 */
import { existsSync } from "node:fs";
import { loadConfig } from "../backend/config.ts";
import { openDatabase } from "../backend/database/db.ts";
import { getSetting } from "../backend/database/settings.ts";
import { createPipedreamClient } from "../backend/pipedream/client.ts";
import { SANDBOX_SECRET_SETTING } from "../backend/runtime.ts";

export const config = loadConfig(Deno.env.toObject());

export const sandboxUrl = Deno.env.get("SANDBOX_URL") ?? "http://localhost:8000/sandbox";

/** The local app generates its sandbox's client secret on first start and keeps it in its database. */
async function sandboxClientSecret(): Promise<string | undefined> {
  const fromEnv = Deno.env.get("SANDBOX_CLIENT_SECRET");
  if (fromEnv || config.mode === "live") return fromEnv;
  if (!config.databaseUrl.startsWith("file:") || !existsSync(config.databaseUrl.slice(5))) return undefined;
  const db = await openDatabase(config.databaseUrl);
  try {
    return await getSetting(db, SANDBOX_SECRET_SETTING);
  } finally {
    db.close();
  }
}

export const pd = createPipedreamClient({
  config,
  sandboxBaseUrl: sandboxUrl,
  sandboxClientSecret: await sandboxClientSecret(),
});

/** The external user id the scripts act for: yours to choose in your own product. */
export const externalUserId = Deno.env.get("EXTERNAL_USER_ID") ?? "scratchpad-user";

export function print(label: string, value: unknown): void {
  console.log(`${label}:`, JSON.stringify(value, null, 2));
}
