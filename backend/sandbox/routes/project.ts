/**
 * The project: `/v1/connect/webhook` (server only), the project environment's
 * default webhook, and `/v1/connect/projects/info` (`connect:projects:read`),
 * the apps the project can use.
 *
 * No project webhook can be set in the sandbox. Pipedream answers `data:
 * null` when none is set (OpenAPI GetWebhookResponse); regenerating the key
 * of a webhook that does not exist is a 404 (the document lists only the
 * 200 with a webhook `WebhookWithSigningKey`, whose `url` a missing webhook
 * cannot have: our choice). A Connect webhook signed on demand (the `sign`
 * delivery fault) uses the environment's key in `sandbox_settings`.
 */
import { Hono } from "hono";
import { APPS } from "../catalog/index.ts";
import { environmentOf, inEnvironment } from "../environment.ts";
import { notFound, type SandboxEnv } from "../http.ts";
import type { SandboxDeps } from "./types.ts";

export function projectWebhookRoutes({ guards }: SandboxDeps) {
  return new Hono<SandboxEnv>()
    .use(guards.signedIn, guards.serverOnly, inEnvironment)
    .get("/", (c) => c.json({ data: null }))
    .post("/regenerate_signing_key", (c) => {
      throw notFound(`No webhook is set for the ${environmentOf(c)} environment of this project`);
    });
}

export function projectInfoRoutes({ guards }: SandboxDeps) {
  return new Hono<SandboxEnv>()
    .use(guards.signedIn, inEnvironment, guards.scoped("connect:projects:read"))
    .get("/info", (c) => c.json({ apps: APPS.map((a) => ({ id: `app_sbx_${a.slug}`, name_slug: a.slug })) }));
}
