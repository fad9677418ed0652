/** `POST /v1/oauth/token`: the client-credentials grant that gives the project's server its access token. */
import { Hono } from "hono";
import { randomToken, timingSafeEqualString } from "../../lib/crypto.ts";
import { SANDBOX_CREDENTIALS } from "../credentials.ts";
import { PipedreamApiError, type SandboxEnv } from "../http.ts";
import { insertOAuthToken } from "../store.ts";
import type { SandboxDeps } from "./types.ts";

const TTL_SECONDS = 3600;

export function oauthRoutes({ db, clock, clientSecret }: SandboxDeps) {
  return new Hono<SandboxEnv>().post("/token", async (c) => {
    // OAuth clients send a form; the SDK sends JSON. Both are accepted.
    let b: Record<string, unknown> = {};
    // Read first: a body over its cap (or too slow) fails here, as itself.
    const text = await c.req.text();
    try {
      const type = c.req.header("content-type") ?? "";
      b = type.includes("application/x-www-form-urlencoded")
        ? Object.fromEntries(new URLSearchParams(text))
        : JSON.parse(text);
    } catch {
      throw new PipedreamApiError(400, "Request body is not valid JSON", "invalid_request");
    }
    if (b.grant_type !== "client_credentials") {
      throw new PipedreamApiError(400, "grant_type must be client_credentials", "unsupported_grant_type");
    }
    const ok = typeof b.client_id === "string" && typeof b.client_secret === "string" &&
      timingSafeEqualString(b.client_id, SANDBOX_CREDENTIALS.clientId) &&
      timingSafeEqualString(b.client_secret, clientSecret);
    if (!ok) throw new PipedreamApiError(401, "Invalid client credentials", "invalid_client");
    const token = `sbx_oat_${randomToken(24)}`;
    await insertOAuthToken(db, token, clock.now() + TTL_SECONDS * 1000, clock.now());
    return c.json({ access_token: token, token_type: "Bearer", expires_in: TTL_SECONDS });
  });
}
