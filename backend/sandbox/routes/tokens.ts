/**
 * Connect tokens: the server mints one per user (`POST /v1/connect/tokens`);
 * the Connect page checks it without credentials (`GET …/:token/validate`).
 */
import { Hono } from "hono";
import { z } from "zod";
import { toHex } from "../../../shared/encoding.ts";
import { findApp } from "../catalog/index.ts";
import { SANDBOX_CREDENTIALS } from "../credentials.ts";
import { type SandboxEnv } from "../http.ts";
import { json } from "../validate.ts";
import { environmentOf } from "../environment.ts";
import { invalidScope } from "../scopes.ts";
import { findConnectToken, insertConnectToken } from "../store.ts";
import { wireApp } from "../wire.ts";
import type { SandboxDeps } from "./types.ts";

const TOKEN_TTL_SECONDS = 4 * 60 * 60;

const CreateToken = z.object({
  external_user_id: z.string().min(1).max(250),
  allowed_origins: z.array(z.string().url()).max(20).optional(),
  webhook_uri: z.string().url().optional(),
  success_redirect_uri: z.string().url().optional(),
  error_redirect_uri: z.string().url().optional(),
  expires_in: z.number().int().min(1).max(TOKEN_TTL_SECONDS).optional(),
  scope: z.string().max(1000).optional().superRefine((v, ctx) => {
    const why = v === undefined ? undefined : invalidScope(v);
    if (why) ctx.addIssue({ code: "custom", message: why });
  }),
}).passthrough();

export function tokenRoutes({ db, clock, guards, destinations }: SandboxDeps) {
  // A redirect stored before the app's address changed is dropped, not followed.
  const redirect = (url: string | null) => (url && destinations.allowed(url) ? url : undefined);
  return new Hono<SandboxEnv>()
    .get("/:token/validate", async (c) => {
      const t = await findConnectToken(db, c.req.param("token"));
      const appSlug = c.req.query("app_id");
      const app = appSlug ? findApp(appSlug) : undefined;
      if (!t || t.expiresAt <= clock.now()) {
        return c.json({ success: false, error: t ? "Connect token expired" : "Invalid connect token" });
      }
      if (t.usedAt !== null) return c.json({ success: false, error: "This connect token was already used" });
      return c.json({
        success: true,
        error: null,
        ...(app ? { app: wireApp(app, c.get("base")) } : {}),
        project_id: SANDBOX_CREDENTIALS.projectId,
        project_environment: t.environment,
        project_app_name: "pipedream-connect (sandbox)",
        ...(redirect(t.successRedirectUri) ? { success_redirect_uri: t.successRedirectUri } : {}),
        ...(redirect(t.errorRedirectUri) ? { error_redirect_uri: t.errorRedirectUri } : {}),
      });
    })
    .post("/", guards.signedIn, guards.serverOnly, json(CreateToken), async (c) => {
      const b = c.req.valid("json");
      destinations.check("webhook_uri", b.webhook_uri);
      destinations.check("success_redirect_uri", b.success_redirect_uri);
      destinations.check("error_redirect_uri", b.error_redirect_uri);
      // Shaped as the OpenAPI document's ConnectToken: ctok_ and 32 hex digits.
      const token = `ctok_${toHex(crypto.getRandomValues(new Uint8Array(16)))}`;
      const expiresAt = clock.now() + (b.expires_in ?? TOKEN_TTL_SECONDS) * 1000;
      await insertConnectToken(db, {
        token,
        externalUserId: b.external_user_id,
        expiresAt,
        allowedOrigins: b.allowed_origins ?? [],
        webhookUri: b.webhook_uri ?? null,
        successRedirectUri: b.success_redirect_uri ?? null,
        errorRedirectUri: b.error_redirect_uri ?? null,
        usedAt: null,
        // A token without scope gets connect:* (documented default).
        scope: b.scope?.trim().split(/\s+/).join(" ") || "connect:*",
        environment: environmentOf(c),
      });
      return c.json({
        token,
        expires_at: new Date(expiresAt).toISOString(),
        connect_link_url: `${c.get("base")}/_static/connect.html?token=${token}&connectLink=true`,
      });
    });
}
