/**
 * The credentials an account is created with when its user approves: OAuth
 * apps get minted tokens; key apps get what the user typed into the fields
 * the app declares, each checked against the field's pattern.
 */
import { newSecret } from "../store.ts";
import type { AppDef } from "./types.ts";

export type CredentialCheck =
  | { ok: true; credentials: Record<string, string> }
  | { ok: false; error: string };

export function checkCredentials(app: AppDef, fields: Record<string, string> = {}): CredentialCheck {
  if (app.authType === "oauth") {
    return {
      ok: true,
      credentials: { oauth_access_token: newSecret("sbx_at_"), oauth_refresh_token: newSecret("sbx_rt_") },
    };
  }
  // Only declared fields are kept: anything else the form sent is not a credential.
  const credentials: Record<string, string> = {};
  for (const field of app.customFields ?? []) {
    const value = fields[field.name] ?? "";
    if (!field.pattern.test(value)) return { ok: false, error: field.invalid };
    credentials[field.name] = value;
  }
  return { ok: true, credentials };
}
