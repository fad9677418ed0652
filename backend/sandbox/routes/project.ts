/**
 * The project (server only): `/v1/connect/webhook`, the Connect webhook's
 * signing key (read it without the key, or rotate it and see the new one),
 * and `/v1/connect/projects/info`, the apps the project can use.
 */
import { Hono } from "hono";
import { APPS } from "../catalog/index.ts";
import type { SandboxEnv } from "../http.ts";
import { projectWebhookKey, rotateProjectWebhookKey } from "../store.ts";
import type { SandboxDeps } from "./types.ts";

export function projectWebhookRoutes({ db, clock, guards }: SandboxDeps) {
  const projectWebhook = async (rotate: boolean) => {
    const key = rotate ? await rotateProjectWebhookKey(db) : await projectWebhookKey(db);
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
    .use(guards.signedIn, guards.serverOnly)
    .get("/", async (c) => {
      const { signing_key: _k, ...hook } = await projectWebhook(false);
      return c.json({ data: hook });
    })
    .post("/regenerate_signing_key", async (c) => c.json({ data: await projectWebhook(true) }));
}

export function projectInfoRoutes({ guards }: SandboxDeps) {
  return new Hono<SandboxEnv>()
    .use(guards.signedIn, guards.serverOnly)
    .get("/info", (c) => c.json({ apps: APPS.map((a) => ({ id: `app_sbx_${a.slug}`, name_slug: a.slug })) }));
}
