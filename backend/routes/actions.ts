/**
 * Runs an action for the session user, server-side, and records the run.
 * Never retried: a repeated run would do the user's action twice. A run that
 * Pipedream answers 200 can still have failed (its logs hold `k: "error"`
 * observations), and one answered 202 has no result yet: both are recorded
 * and answered as what they are (`outcome`).
 */
import { Hono } from "hono";
import { RunActionRequest, type RunActionResponse, type RunOutcome } from "../../shared/api.ts";
import { insertRun, listRuns } from "../database/runs.ts";
import { readJson } from "../http/validate.ts";
import { redact } from "../../shared/redact.ts";
import { createSecretPropsLookup } from "../pipedream/component_secrets.ts";
import { toApiError } from "../http/error_mapping.ts";
import type { AppEnv, RouteDeps } from "./types.ts";

export function actionRoutes(deps: RouteDeps) {
  const secretProps = createSecretPropsLookup(deps.pipedream, deps.clock);
  return new Hono<AppEnv>()
    .post("/run", async (c) => {
      const body = await readJson(c, RunActionRequest);
      const userId = c.get("externalUserId");
      await deps.spend("actionRuns", deps.limits.actionRuns, userId);
      await deps.ownership.assertOwns(userId, body.configuredProps);
      const started = deps.clock.now();
      const runId = "run_" + crypto.randomUUID().replaceAll("-", "");
      const record = async (outcome: RunOutcome, error?: string) =>
        insertRun(deps.db, {
          id: runId,
          externalUserId: userId,
          componentKey: body.actionId,
          startedAt: new Date(started).toISOString(),
          durationMs: Math.max(0, deps.clock.now() - started),
          outcome,
          ...(error ? { error } : {}),
          configuredProps: redact(body.configuredProps, await secretProps(body.actionId)) as Record<
            string,
            unknown
          >,
        });
      try {
        const { data: result, rawResponse } = await deps.pipedream.actions.run({
          id: body.actionId,
          externalUserId: userId,
          configuredProps: body.configuredProps,
          ...(body.dynamicPropsId ? { dynamicPropsId: body.dynamicPropsId } : {}),
        }).withRawResponse();
        const os = (result.os ?? []) as RunActionResponse["os"];
        const failure = rawResponse.status === 202 ? undefined : runFailure(os);
        const outcome: RunOutcome = rawResponse.status === 202 ? "pending" : failure ? "error" : "success";
        await record(outcome, failure);
        const response: RunActionResponse = {
          runId,
          outcome,
          ...(failure ? { error: failure } : {}),
          exports: (result.exports ?? {}) as Record<string, unknown>,
          ret: result.ret ?? null,
          os,
          stashId: result.stashId ?? null,
        };
        return c.json(response);
      } catch (err) {
        // The run is recorded with what the user is told; the error itself goes on to be answered (and logged).
        await record("error", toApiError(err).message);
        throw err;
      }
    });
}

/** The message of a run's first `k: "error"` observation, if it logged one. */
export function runFailure(os: RunActionResponse["os"]): string | undefined {
  const first = os.find((o) => o.k === "error");
  if (!first) return undefined;
  const err = first.err as { name?: unknown; message?: unknown } | undefined;
  const message = typeof err?.message === "string"
    ? err.message
    : typeof first.msg === "string"
    ? first.msg
    : "";
  return (message || "The action failed").slice(0, 500);
}

export function runRoutes(deps: RouteDeps) {
  return new Hono<AppEnv>().get(
    "/",
    async (c) => c.json({ data: await listRuns(deps.db, c.get("externalUserId")) }),
  );
}
