import { deepStrictEqual, equal, match } from "node:assert/strict";
import { acmeCrm } from "./acme_crm/app.ts";
import { checkCredentials } from "./credentials.ts";
import { slack } from "./slack/app.ts";
import type { AppDef } from "./types.ts";

/** A key app whose fields are not named api_key: each app declares its own. */
const twoFieldApp: AppDef = {
  ...acmeCrm,
  slug: "two_fields",
  customFields: [
    {
      name: "subdomain",
      label: "Subdomain",
      description: "",
      pattern: /^[a-z]{3,20}$/,
      invalid: "bad subdomain",
    },
    {
      name: "token",
      label: "Token",
      description: "",
      secret: true,
      pattern: /^tk_\d{4}$/,
      invalid: "bad token",
    },
  ],
};

Deno.test("key apps are checked against the fields they declare, whatever their names", () => {
  deepStrictEqual(checkCredentials(twoFieldApp, { subdomain: "acme", token: "tk_1234", extra: "dropped" }), {
    ok: true,
    credentials: { subdomain: "acme", token: "tk_1234" },
  });
  deepStrictEqual(checkCredentials(twoFieldApp, { subdomain: "acme", token: "nope" }), {
    ok: false,
    error: "bad token",
  });
  deepStrictEqual(checkCredentials(twoFieldApp, { token: "tk_1234" }), { ok: false, error: "bad subdomain" });
  deepStrictEqual(checkCredentials(acmeCrm, { api_key: "sbx_key_demo1234" }), {
    ok: true,
    credentials: { api_key: "sbx_key_demo1234" },
  });
  equal(checkCredentials(acmeCrm, {}).ok, false);
});

Deno.test("OAuth apps get freshly minted tokens", () => {
  const a = checkCredentials(slack, { api_key: "ignored" });
  const b = checkCredentials(slack);
  if (!a.ok || !b.ok) throw new Error("OAuth approval failed");
  match(a.credentials.oauth_access_token, /^sbx_at_[A-Za-z0-9]{32}$/);
  match(a.credentials.oauth_refresh_token, /^sbx_rt_[A-Za-z0-9]{32}$/);
  deepStrictEqual(Object.keys(a.credentials), ["oauth_access_token", "oauth_refresh_token"]);
  equal(a.credentials.oauth_access_token === b.credentials.oauth_access_token, false);
});
