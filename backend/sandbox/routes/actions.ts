/** `/v1/connect/actions`: the component routes for actions, and running one (`connect:actions:*`). */
import { findComponent } from "../catalog/index.ts";
import { type Observation, PropError } from "../catalog/types.ts";
import { actingOwner } from "../environment.ts";
import { preflight, RunBody } from "../component_calls.ts";
import { badRequest, json, notFound } from "../http.ts";
import { newId } from "../store.ts";
import { componentRoutes } from "./components.ts";
import type { SandboxDeps } from "./types.ts";

export function actionRoutes(deps: SandboxDeps) {
  const { db, clock, guards, context } = deps;
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
      const os: Observation[] = [];
      try {
        const result = await found.component.run(context(owner, b.configured_props, os), b.configured_props);
        return c.json({
          exports: { $summary: result.summary, ...result.exports },
          os,
          ret: result.ret,
          stash_id: b.stash_id === true ? newId("stash_") : null,
        });
      } catch (err) {
        if (!(err instanceof PropError)) throw err;
        // A run the component refused still answers with its observations.
        os.push({ ts: clock.now(), k: "error", err: { name: "Error", message: err.message } });
        return c.json({ exports: {}, os, ret: null, stash_id: null, error: err.message }, 400);
      }
    },
  );
}
