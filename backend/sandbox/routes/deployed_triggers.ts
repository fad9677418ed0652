/**
 * `/v1/connect/deployed-triggers`: a user's deployments, their events, and
 * the webhook each delivers to; a Connect token reads them with
 * `connect:deployed_triggers:read` and changes them with `…:write`, for its
 * own user only. Every call names the external user, and a deployment of
 * another user does not exist for it. Regenerating a webhook's signing key is
 * OAuth-only (OpenAPI security), as is seeing a signing key at all.
 */
import { Hono, type MiddlewareHandler } from "hono";
import { z } from "zod";
import { actingUser } from "../auth.ts";
import { environmentOf, inEnvironment } from "../environment.ts";
import { badRequest, notFound, type SandboxEnv } from "../http.ts";
import { json, query } from "../validate.ts";
import {
  deleteDeployment,
  type Deployment,
  findDeployment,
  listDeployments,
  listEvents,
  newSecret,
  updateDeployment,
} from "../store.ts";
import { Limit, paginate, wireDeployment } from "../wire.ts";
import type { SandboxDeps } from "./types.ts";

const ListDeployments = z.object({
  external_user_id: z.string().min(1),
  after: z.string().optional(),
  limit: Limit,
}).passthrough();

const UpdateDeployment = z.object({
  active: z.boolean().optional(),
  configured_props: z.record(z.string(), z.unknown()).optional(),
  name: z.string().optional(),
}).passthrough();

const UpdateWebhooks = z.object({ webhook_urls: z.array(z.string().url()).max(1) }).passthrough();

/** `signing_key` "is only returned for OAuth-authenticated requests" (OpenAPI TriggerWebhook). */
const webhookView = (d: Deployment, withKey: boolean) => ({
  webhook_urls: d.webhookUrl ? [d.webhookUrl] : [],
  webhooks: d.webhookUrl
    ? [{
      id: d.webhookId,
      url: d.webhookUrl,
      ...(withKey ? { signing_key: d.signingKey } : {}),
      signing_key_set: true,
    }]
    : [],
});

type DeploymentEnv = { Variables: SandboxEnv["Variables"] & { deployment: Deployment } };

export function deployedTriggerRoutes({ db, clock, guards, destinations }: SandboxDeps) {
  /** The deployment in the path, if it belongs to the user the query names (checked before any body). */
  const owned: MiddlewareHandler<DeploymentEnv> = async (c, next) => {
    const user = actingUser(c, c.req.query("external_user_id"));
    if (!user) throw badRequest("external_user_id is required");
    const d = await findDeployment(db, environmentOf(c), c.req.param("id") ?? "");
    if (!d || d.externalUserId !== user) throw notFound("Deployed trigger not found");
    c.set("deployment", d);
    await next();
  };

  return new Hono<DeploymentEnv>()
    .use(guards.signedIn, inEnvironment)
    .on(["GET"], ["/", "/*"], guards.scoped("connect:deployed_triggers:read"))
    .on(["PUT", "DELETE", "POST"], ["/", "/*"], guards.scoped("connect:deployed_triggers:write"))
    .use("/:id/*", owned)
    .get("/", query(ListDeployments), async (c) => {
      const q = c.req.valid("query");
      const page = paginate(
        await listDeployments(db, {
          environment: environmentOf(c),
          externalUserId: actingUser(c, q.external_user_id)!,
        }),
        q.after,
        q.limit,
      );
      return c.json({ data: page.data.map((d) => wireDeployment(d)), page_info: page.page_info });
    })
    .get("/:id", (c) => c.json({ data: wireDeployment(c.get("deployment")) }))
    .put("/:id", json(UpdateDeployment), async (c) => {
      const b = c.req.valid("json");
      const next = await updateDeployment(db, c.get("deployment"), {
        ...(b.active !== undefined ? { active: b.active } : {}),
        ...(b.configured_props ? { configuredProps: b.configured_props } : {}),
      }, clock.now());
      return c.json({ data: wireDeployment(next) });
    })
    .delete("/:id", async (c) => {
      await deleteDeployment(db, c.get("deployment").id);
      return c.body(null, 204);
    })
    .get("/:id/events", async (c) => {
      const n = Math.min(100, Math.max(1, Number(c.req.query("n") ?? "20") || 20));
      return c.json({ data: await listEvents(db, c.get("deployment").id, n) });
    })
    .get("/:id/webhooks", (c) => c.json(webhookView(c.get("deployment"), c.get("caller").kind === "server")))
    .put("/:id/webhooks", json(UpdateWebhooks), async (c) => {
      const b = c.req.valid("json");
      destinations.check("webhook_urls", b.webhook_urls[0]);
      const d = c.get("deployment");
      const next = await updateDeployment(db, d, { webhookUrl: b.webhook_urls[0] ?? null }, clock.now());
      return c.json(webhookView(next, c.get("caller").kind === "server"));
    })
    .post("/:id/webhooks/:hook/regenerate_signing_key", guards.serverOnly, async (c) => {
      const d = c.get("deployment");
      if (c.req.param("hook") !== d.webhookId) throw notFound("Webhook not found");
      const signingKey = newSecret("sbx_sec_");
      const next = await updateDeployment(db, d, { signingKey }, clock.now());
      const now = Math.floor(clock.now() / 1000);
      return c.json({
        data: {
          id: d.webhookId,
          url: next.webhookUrl ?? "",
          signing_key: signingKey,
          signing_key_set: true,
          created_at: now,
          updated_at: now,
        },
      });
    });
}
