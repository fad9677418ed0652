/**
 * Deploys triggers for the session user with their webhook pointed at this
 * app, and keeps the deployment, its owner and its signing key, which the
 * webhook receiver needs to verify and file each event.
 *
 * A slot is reserved before the deploy (under the user's cap and the
 * installation's), and the reservation becomes the deployment after it. A
 * deploy that fails releases it; one that ends without a clear answer, or
 * whose record cannot be written, leaves it for reservation recovery
 * (pipedream/trigger_reservations.ts) to match against Pipedream's list.
 */
import { Hono } from "hono";
import { z } from "zod";
import {
  DeployedTriggerId,
  type DeployedTriggerView,
  DeployTriggerRequest,
  type TestEventResponse,
} from "../../shared/api.ts";
import {
  confirmTrigger,
  findUserTrigger,
  listTriggers,
  markTriggerDeleted,
  releaseReservation,
  reserveTrigger,
  type TriggerRow,
} from "../database/triggers.ts";
import { isNotFound, toApiError } from "../http/error_mapping.ts";
import { ApiError, notFound } from "../http/errors.ts";
import { userOf } from "../http/session.ts";
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

const TestEventRequest = z.object({}).strict();

export function triggerRoutes(deps: RouteDeps) {
  return new Hono<AppEnv>()
    .get("/", async (c) => c.json({ data: (await listTriggers(deps.db, userOf(c))).map(view) }))
    .post("/", async (c) => {
      const body = await readJson(c, DeployTriggerRequest);
      const userId = userOf(c);
      await deps.limit(c, "triggerDeploys");
      await deps.ownership.assertOwns(userId, body.configuredProps);
      const reservationId = "deploying_" + crypto.randomUUID().replaceAll("-", "");
      const reserved = await reserveTrigger(deps.db, {
        id: reservationId,
        externalUserId: userId,
        componentKey: body.triggerId,
        createdAt: new Date(deps.clock.now()).toISOString(),
      }, { perUser: deps.config.maxTriggersPerUser, total: deps.config.maxTriggersTotal });
      if (reserved === "user_cap") {
        throw new ApiError(
          409,
          "trigger_limit",
          `You can have at most ${deps.config.maxTriggersPerUser} deployed triggers; delete one first.`,
        );
      }
      if (reserved === "total_cap") {
        throw new ApiError(
          503,
          "trigger_capacity",
          "This app runs as many triggers as it can take right now; try again later.",
          { "Retry-After": "300" },
        );
      }

      let data;
      try {
        ({ data } = await deps.pipedream.triggers.deploy({
          id: body.triggerId,
          externalUserId: userId,
          configuredProps: body.configuredProps,
          webhookUrl: `${deps.appOrigin(c)}${TRIGGER_WEBHOOK_PATH}`,
          ...(body.dynamicPropsId ? { dynamicPropsId: body.dynamicPropsId } : {}),
        }));
      } catch (err) {
        const mapped = toApiError(err);
        if (mapped.code === "upstream_timeout" || mapped.code === "upstream_unreachable") {
          // It may have been deployed: the reservation stays, and recovery removes what it finds.
          throw new ApiError(
            mapped.status,
            "deploy_outcome_unknown",
            "Pipedream gave no clear answer. If the trigger was deployed, the app removes it within a few " +
              "minutes; deploy it again then.",
          );
        }
        await releaseReservation(deps.db, reservationId);
        throw err;
      }
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
      try {
        await confirmTrigger(deps.db, reservationId, row);
      } catch (err) {
        // Unrecorded, its events could not be verified: undo it, so "try again" is true.
        await withRetry(() => deps.pipedream.deployedTriggers.delete(data.id, { externalUserId: userId }))
          .then(() => releaseReservation(deps.db, reservationId))
          .catch((undoErr) =>
            console.error(
              `trigger ${data.id}: deployed but not recorded; reservation recovery will remove it:`,
              (undoErr as Error).message,
            )
          );
        throw err;
      }
      return c.json(view(row), 201);
    })
    // Sandbox mode: the trigger's app emits a sample event, delivered like any
    // other (signed webhook, stored, streamed). Pipedream has no such API.
    .post("/:id/test-event", async (c) => {
      const id = parseOr400(DeployedTriggerId, c.req.param("id"));
      await readJson(c, TestEventRequest);
      const userId = userOf(c);
      if (!await findUserTrigger(deps.db, userId, id)) throw notFound("Trigger");
      if (!deps.testEvents) {
        throw new ApiError(
          409,
          "test_events_unsupported",
          "Pipedream has no API to send a test event: make the event happen in the app itself " +
            "(for example, post a message in the channel the trigger watches).",
        );
      }
      await deps.limit(c, "testEvents");
      try {
        const { summary } = await deps.testEvents.emit(id, userId);
        const body: TestEventResponse = {
          message: `Sent "${summary}"; it arrives under Live events in a moment.`,
        };
        return c.json(body, 202);
      } catch (err) {
        if (isNotFound(err)) throw notFound("Trigger");
        throw err;
      }
    })
    .delete("/:id", async (c) => {
      const id = parseOr400(DeployedTriggerId, c.req.param("id"));
      const userId = userOf(c);
      const row = await findUserTrigger(deps.db, userId, id);
      if (!row) throw notFound("Trigger");
      try {
        await withRetry(() => deps.pipedream.deployedTriggers.delete(id, { externalUserId: userId }));
      } catch (err) {
        // Already gone at Pipedream: finish the local delete.
        if (!isNotFound(err)) throw err;
      }
      await markTriggerDeleted(deps.db, id, new Date(deps.clock.now()).toISOString());
      // Its deliveries are refused from now on, not when the cached copy expires.
      deps.deployments.forget(id);
      return c.body(null, 204);
    });
}
