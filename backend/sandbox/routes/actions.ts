/**
 * `/v1/connect/actions`: the component routes for actions, and running one
 * (`connect:actions:*`). What Pipedream would refuse before running (an
 * unknown action, a missing prop, another user's account) is a 400 or 404;
 * a run that fails answers 200 with its `k: "error"` observation, the only
 * way a failed run can answer when the OpenAPI document lists 200, 202 and
 * 429 for runAction (and how connect-react reads a run result's errors).
 * An answer switch (answers.ts) can make a run fail, or answer 202.
 */
import { findComponent } from "../catalog/index.ts";
import { type Observation, PropError } from "../catalog/types.ts";
import { preflight, RunBody } from "../component_calls.ts";
import { actingOwner } from "../environment.ts";
import { badRequest, notFound } from "../http.ts";
import { json } from "../validate.ts";
import { newId } from "../store.ts";
import { componentRoutes } from "./components.ts";
import type { SandboxDeps } from "./types.ts";

/** A run that failed, as Pipedream answers it: no exports, its logs ending in the error. */
const failedRun = (os: Observation[], ts: number, message: string) => ({
  exports: {},
  os: [...os, { ts, k: "error", err: { name: "Error", message } }],
  ret: null,
  stash_id: null,
});

export function actionRoutes(deps: SandboxDeps) {
  const { db, clock, guards, context, answers } = deps;
  return componentRoutes(deps, "actions").post(
    "/run",
    guards.scoped("connect:actions:*"),
    json(RunBody),
    async (c) => {
      const b = c.req.valid("json");
      const found = findComponent(b.id);
      if (!found || found.component.type !== "action" || !found.component.run) {
        throw notFound(`Action ${b.id} not found`);
      }
      const owner = actingOwner(c, b.external_user_id)!;
      const bad = await preflight(db, found.component, owner, b.configured_props, b.dynamic_props_id);
      if (bad) throw badRequest(bad);
      const answer = answers.take(b.id, "run");
      if (answer?.answer === "failed") {
        return c.json(
          failedRun([], clock.now(), answer.message ?? "The action failed (sandbox answer switch)"),
        );
      }
      const os: Observation[] = [];
      let answered;
      try {
        const result = await found.component.run(context(owner, b.configured_props, os), b.configured_props);
        answered = {
          exports: { $summary: result.summary, ...result.exports },
          os,
          ret: result.ret,
          stash_id: b.stash_id === true ? newId("stash_") : null,
        };
      } catch (err) {
        if (!(err instanceof PropError)) throw err;
        answered = failedRun(os, clock.now(), err.message);
      }
      // Accepted: the run happened, its result is not part of the answer.
      return answer?.answer === "accepted" ? c.body(null, 202) : c.json(answered);
    },
  );
}
