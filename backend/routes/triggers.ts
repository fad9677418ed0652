/**
 * Deploys triggers for the session user with their webhook pointed at this
 * app, and keeps the deployment, its owner and its signing key, which the
 * webhook receiver needs to verify and file each event.
 */
import { Hono } from "hono";
import { DeployedTriggerId, type DeployedTriggerView, DeployTriggerRequest } from "../../shared/api.ts";
import {
  countTriggers,
  findUserTrigger,
  insertTrigger,
  listTriggers,
  markTriggerDeleted,
  type TriggerRow,
} from "../database/triggers.ts";
import { isNotFound } from "../http/error_mapping.ts";
import { ApiError, notFound } from "../http/errors.ts";
import { parseOr400, readJson } from "../http/validate.ts";
import { redact } from "../../shared/redact.ts";
import { withRetry } from "../pipedream/retry.ts";
import type { AppEnv, RouteDeps } from "./types.ts";

export const TRIGGER_WEBHOOK_PATH = "/webhooks/pipedream/triggers";

const view = ({ externalUserId: _u, signingKey: _k, ...v }: TriggerRow): DeployedTriggerView => v;

/** A component's own name, or its key when Pipedream cannot say. */
async function componentName(deps: RouteDeps, key: string): Promise<string> {
  try {
    const { data } = await withRetry(() => deps.pipedream.triggers.retrieve(key));
    return data.name || key;
  } catch {
    return key;
  }
}

export function triggerRoutes(deps: RouteDeps) {
  return new Hono<AppEnv>()
    .get("/", async (c) => c.json({ data: (await listTriggers(deps.db, c.get("externalUserId"))).map(view) }))
    .post("/", async (c) => {
      const body = await readJson(c, DeployTriggerRequest);
      const userId = c.get("externalUserId");
      await deps.spend("triggerDeploys", deps.limits.triggerDeploys, userId);
      if (await countTriggers(deps.db, userId) >= deps.config.maxTriggersPerUser) {
        throw new ApiError(
          409,
          "trigger_limit",
          `You can have at most ${deps.config.maxTriggersPerUser} deployed triggers; delete one first.`,
        );
      }
      await deps.ownership.assertOwns(userId, body.configuredProps);
      const { data } = await deps.pipedream.triggers.deploy({
        id: body.triggerId,
        externalUserId: userId,
        configuredProps: body.configuredProps,
        webhookUrl: `${deps.appOrigin(c)}${TRIGGER_WEBHOOK_PATH}`,
        ...(body.dynamicPropsId ? { dynamicPropsId: body.dynamicPropsId } : {}),
      });
      const row: TriggerRow = {
        id: data.id,
        externalUserId: userId,
        componentKey: body.triggerId,
        // Pipedream names a deployment after the project and its owner ("<project> - exu_…"):
        // the user knows it by the trigger's own name.
        name: await componentName(deps, body.triggerId),
        active: "active" in data ? Boolean(data.active) : true,
        configuredProps: redact(body.configuredProps) as Record<string, unknown>,
        signingKey: "webhookSigningKey" in data && data.webhookSigningKey ? data.webhookSigningKey : null,
        createdAt: new Date(deps.clock.now()).toISOString(),
      };
      await insertTrigger(deps.db, row);
      return c.json(view(row), 201);
    })
    .delete("/:id", async (c) => {
      const id = parseOr400(DeployedTriggerId, c.req.param("id"));
      const userId = c.get("externalUserId");
      const row = await findUserTrigger(deps.db, userId, id);
      if (!row) throw notFound("Trigger");
      try {
        await withRetry(() => deps.pipedream.deployedTriggers.delete(id, { externalUserId: userId }));
      } catch (err) {
        // Already gone at Pipedream: finish the local delete.
        if (!isNotFound(err)) throw err;
      }
      await markTriggerDeleted(deps.db, id, new Date(deps.clock.now()).toISOString());
      return c.body(null, 204);
    });
}
