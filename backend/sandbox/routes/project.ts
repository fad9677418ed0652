/**
 * The project: `/v1/connect/webhook` (server only), the Connect webhook's
 * signing key (read it without the key, or rotate it and see the new one),
 * and `/v1/connect/projects/info` (`connect:projects:read`), the apps the
 * project can use.
 */
import { Hono } from "hono";
import { APPS } from "../catalog/index.ts";
import { environmentOf, inEnvironment, type ProjectEnvironment } from "../environment.ts";
import type { SandboxEnv } from "../http.ts";
import { rotateProjectWebhookKey } from "../store.ts";
import type { SandboxDeps } from "./types.ts";

export function projectWebhookRoutes({ db, clock, guards }: SandboxDeps) {
  const projectWebhook = async (environment: ProjectEnvironment) => {
    const key = await rotateProjectWebhookKey(db, environment);
    const now = Math.floor(clock.now() / 1000);
    return {
      id: "hook_project",
      url: "",
      signing_key: key,
      signing_key_set: true,
      created_at: now,
      updated_at: now,
    };
  };

  return new Hono<SandboxEnv>()
    .use(guards.signedIn, guards.serverOnly, inEnvironment)
    // No project webhook URL can be set in the sandbox, and Pipedream answers
    // `data: null` when none is set (OpenAPI GetWebhookResponse).
    .get("/", (c) => c.json({ data: null }))
    .post("/regenerate_signing_key", async (c) => c.json({ data: await projectWebhook(environmentOf(c)) }));
}

export function projectInfoRoutes({ guards }: SandboxDeps) {
  return new Hono<SandboxEnv>()
    .use(guards.signedIn, inEnvironment, guards.scoped("connect:projects:read"))
    .get("/info", (c) => c.json({ apps: APPS.map((a) => ({ id: `app_sbx_${a.slug}`, name_slug: a.slug })) }));
}
