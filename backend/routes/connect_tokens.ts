/**
 * Mints the connect token the browser client authenticates with. The user id
 * is the session's; the token is locked to this app's origins (configuration,
 * never the request's Host), limited to what the browser needs
 * (pipedream/connect_token_scope.ts), and tells Pipedream where to send
 * Connect webhooks: a URL with a fresh secret, which is how the receiver
 * knows the webhook is about this token and this user (Pipedream documents
 * Connect webhooks unsigned).
 */
import { Hono } from "hono";
import { z } from "zod";
import type { ConnectTokenResponse } from "../../shared/api.ts";
import { rememberConnectToken } from "../database/connect_tokens.ts";
import { userOf } from "../http/session.ts";
import { readJson } from "../http/validate.ts";
import { randomToken } from "../lib/crypto.ts";
import { BROWSER_CONNECT_TOKEN_SCOPE } from "../pipedream/connect_token_scope.ts";
import type { AppEnv, RouteDeps } from "./types.ts";

const Body = z.object({
  /** Set by the browser after a connection spent its token. */
  fresh: z.boolean().optional(),
}).strict();

export const CONNECT_WEBHOOK_PATH = "/webhooks/pipedream/connect";

export function connectTokenRoutes(deps: RouteDeps) {
  return new Hono<AppEnv>().post("/", async (c) => {
    const { fresh } = await readJson(c, Body);
    const userId = userOf(c);
    await deps.limit(c, "connectTokens");
    const cached = fresh ? undefined : deps.tokenCache.get(userId);
    if (cached) return c.json(cached);
    // Every origin is configuration (never the request's Host): see http/origin.ts.
    const origin = deps.appOrigin(c);
    // 256 random bits; only its hash is stored.
    const webhookSecret = randomToken(32);
    const created = await deps.pipedream.tokens.create({
      externalUserId: userId,
      scope: deps.config.connectTokenScope ?? BROWSER_CONNECT_TOKEN_SCOPE,
      allowedOrigins: [...deps.origins()],
      webhookUri: `${origin}${CONNECT_WEBHOOK_PATH}/${webhookSecret}`,
      successRedirectUri: `${origin}/?connect=success`,
      errorRedirectUri: `${origin}/?connect=error`,
    });
    const token: ConnectTokenResponse = {
      token: created.token,
      expiresAt: created.expiresAt instanceof Date
        ? created.expiresAt.toISOString()
        : String(created.expiresAt),
      connectLinkUrl: created.connectLinkUrl,
    };
    await rememberConnectToken(
      deps.db,
      { token: token.token, externalUserId: userId, expiresAt: token.expiresAt, webhookSecret },
      deps.clock.now(),
    );
    deps.tokenCache.set(userId, token);
    return c.json(token);
  });
}
