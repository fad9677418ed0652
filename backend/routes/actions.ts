/**
 * Runs an action for the session user, server-side, and records the run.
 * Never retried: a repeated run would do the user's action twice. A run that
 * Pipedream answers 200 can still have failed (its logs hold `k: "error"`
 * observations), and one answered 202 has no result yet: both are recorded
 * and answered as what they are (`outcome`).
 *
 * An action that ran is never answered with "try again":
 * - the run is recorded as `running` before it is sent (if that fails,
 *   nothing was sent, and "try again" is true);
 * - its outcome is recorded after; if that fails, the result is answered
 *   anyway, with a warning, and the record stays `running` (shown as
 *   `unknown` once stale);
 * - a call that ends without a clear answer (timeout, connection lost,
 *   Pipedream 5xx) may have run: it is recorded and answered as unknown.
 */
import { Hono } from "hono";
import { RunActionRequest, type RunActionResponse, RunId, type RunOutcome } from "../../shared/api.ts";
import { completeRun, findRun, insertRunningRun, listRuns, type RunResult } from "../database/runs.ts";
import { toApiError } from "../http/error_mapping.ts";
import { ApiError, notFound } from "../http/errors.ts";
import { userOf } from "../http/session.ts";
import { parseOr400, readJson } from "../http/validate.ts";
import { redact } from "../../shared/redact.ts";
import { createSecretPropsLookup } from "../pipedream/component_secrets.ts";
import type { AppEnv, RouteDeps } from "./types.ts";

export const OUTCOME_NOT_RECORDED =
  "The action ran, but the app could not record it in your run history. Do not run it again to fix that.";

/** What a failed run call means for the user: refused (it did not run), or no clear answer (it may have). */
export function callFailure(err: unknown): ApiError {
  const mapped = toApiError(err);
  const unclear = mapped.code === "upstream_timeout" || mapped.code === "upstream_unreachable" ||
    mapped.code === "upstream_error";
  if (!unclear) return mapped;
  return new ApiError(
    mapped.status,
    "run_outcome_unknown",
    "Pipedream gave no clear answer, so the action may have run. Check the connected app before running it again.",
  );
}

export function actionRoutes(deps: RouteDeps) {
  const secretProps = createSecretPropsLookup(deps.pipedream, deps.clock);
  return new Hono<AppEnv>()
    .post("/run", async (c) => {
      const body = await readJson(c, RunActionRequest);
      const userId = userOf(c);
      await deps.limit(c, "actionRuns");
      await deps.ownership.assertOwns(userId, body.configuredProps);
      const started = deps.clock.now();
      const runId = "run_" + crypto.randomUUID().replaceAll("-", "");
      const secrets = await secretProps(body.actionId);
      await insertRunningRun(deps.db, {
        id: runId,
        externalUserId: userId,
        componentKey: body.actionId,
        startedAt: new Date(started).toISOString(),
        configuredProps: redact(body.configuredProps, secrets) as Record<string, unknown>,
      });
      const elapsed = () => Math.max(0, deps.clock.now() - started);

      let ran;
      try {
        ran = await deps.pipedream.actions.run({
          id: body.actionId,
          externalUserId: userId,
          configuredProps: body.configuredProps,
          ...(body.dynamicPropsId ? { dynamicPropsId: body.dynamicPropsId } : {}),
        }).withRawResponse();
      } catch (err) {
        const failure = callFailure(err);
        const outcome = failure.code === "run_outcome_unknown" ? "unknown" : "error";
        // The user is told `failure` whether or not recording it works.
        await completeRun(deps.db, runId, outcome, elapsed(), failure.message).catch((recordErr) =>
          console.error(
            `run ${runId}: could not record its ${outcome} outcome:`,
            (recordErr as Error).message,
          )
        );
        throw failure;
      }

      const { data: result, rawResponse } = ran;
      const os = (result.os ?? []) as RunActionResponse["os"];
      const failure = rawResponse.status === 202 ? undefined : runFailure(os);
      const outcome: RunOutcome = rawResponse.status === 202 ? "pending" : failure ? "error" : "success";
      const response: RunActionResponse = {
        runId,
        outcome,
        ...(failure ? { error: failure } : {}),
        exports: (result.exports ?? {}) as Record<string, unknown>,
        ret: result.ret ?? null,
        os,
        stashId: result.stashId ?? null,
      };
      // What it returned is kept (redacted, bounded) so the run history can show it again.
      const kept = redact({ exports: response.exports, ret: response.ret, os }, secrets) as RunResult;
      try {
        await completeRun(deps.db, runId, outcome, elapsed(), failure, kept);
      } catch (err) {
        console.error(`run ${runId}: ran, but its outcome was not recorded:`, (err as Error).message);
        response.warning = OUTCOME_NOT_RECORDED;
      }
      return c.json(response);
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
  return new Hono<AppEnv>()
    .get("/", async (c) => c.json({ data: await listRuns(deps.db, userOf(c), deps.clock.now()) }))
    .get("/:id", async (c) => {
      const id = parseOr400(RunId, c.req.param("id"));
      // Another user's run answers exactly like a missing one.
      const run = await findRun(deps.db, userOf(c), id, deps.clock.now());
      if (!run) throw notFound("Run");
      return c.json(run);
    });
}
