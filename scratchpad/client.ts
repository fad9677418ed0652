/**
 * The one Pipedream client every scratchpad script uses. With the four
 * PIPEDREAM_* variables set it is your real project; without them it is the
 * sandbox of a locally running app (`deno task start`), at SANDBOX_URL
 * (default http://localhost:8000/sandbox). Same SDK calls either way.
 */
import { loadConfig } from "../backend/config.ts";
import { createPipedreamClient } from "../backend/pipedream/client.ts";

export const config = loadConfig(Deno.env.toObject());

export const sandboxUrl = Deno.env.get("SANDBOX_URL") ?? "http://localhost:8000/sandbox";

export const pd = createPipedreamClient({ config, sandboxBaseUrl: sandboxUrl });

/** The external user id the scripts act for: yours to choose in your own product. */
export const externalUserId = Deno.env.get("EXTERNAL_USER_ID") ?? "scratchpad-user";

export function print(label: string, value: unknown): void {
  console.log(`${label}:`, JSON.stringify(value, null, 2));
}
