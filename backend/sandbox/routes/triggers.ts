/** `/v1/connect/triggers`: the component routes for triggers, and deploying one (`connect:triggers:*`). */
import { z } from "zod";
import { findComponent } from "../catalog/index.ts";
import { actingOwner } from "../environment.ts";
import { preflight, RunBody } from "../component_calls.ts";
import { badRequest, notFound } from "../http.ts";
import { json } from "../validate.ts";
import { type Deployment, insertDeployment, newId, newSecret } from "../store.ts";
import { wireDeployment } from "../wire.ts";
import { componentRoutes } from "./components.ts";
import type { SandboxDeps } from "./types.ts";

const DeployBody = RunBody.extend({
  webhook_url: z.string().url().optional(),
  emit_on_deploy: z.boolean().optional(),
});

export function triggerRoutes(deps: SandboxDeps) {
  const { db, clock, guards, destinations } = deps;
  return componentRoutes(deps, "triggers").post(
    "/deploy",
    guards.scoped("connect:triggers:*"),
    json(DeployBody),
    async (c) => {
      const b = c.req.valid("json");
      destinations.check("webhook_url", b.webhook_url);
      const found = findComponent(b.id);
      if (!found || found.component.type !== "trigger") throw notFound(`Trigger ${b.id} not found`);
      const owner = actingOwner(c, b.external_user_id)!;
      const bad = await preflight(db, found.component, owner, b.configured_props, b.dynamic_props_id);
      if (bad) throw badRequest(bad);
      const now = clock.now();
      const d: Deployment = {
        id: newId("dc_"),
        environment: owner.environment,
        externalUserId: owner.externalUserId,
        componentKey: b.id,
        configuredProps: b.configured_props,
        dynamicPropsId: b.dynamic_props_id ?? null,
        webhookUrl: b.webhook_url ?? null,
        webhookId: newId("hook_"),
        signingKey: newSecret("sbx_sec_"),
        active: true,
        createdAt: now,
        updatedAt: now,
        lastTimerAt: now,
      };
      await insertDeployment(db, d);
      return c.json({ data: wireDeployment(d, c.get("caller").kind === "server") });
    },
  );
}
