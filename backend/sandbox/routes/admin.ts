/**
 * `/admin` (server only), sandbox switches that are not part of Pipedream's
 * API: `faults` switch 429s, 5xx, slow answers and delivery faults on and off
 * (faults.ts); `answers` make a component's calls answer as Pipedream
 * documents they may (a failed run, 202 with no body: answers.ts);
 * `test-events` make a deployed trigger's app emit a sample event
 * (test_events.ts).
 */
import { Hono } from "hono";
import { z } from "zod";
import { AnswerSpec, FaultSpec } from "../switches.ts";
import { environmentOf } from "../environment.ts";
import { type SandboxEnv } from "../http.ts";
import { json, messageOnly } from "../validate.ts";
import { emitTestEvent } from "../test_events.ts";
import type { SandboxDeps } from "./types.ts";

const TestEventBody = z.object({
  deployed_trigger_id: z.string().min(1).max(100),
  external_user_id: z.string().min(1).max(250),
}).strict();

export function adminRoutes(deps: SandboxDeps) {
  const { faults, answers, guards } = deps;
  return new Hono<SandboxEnv>()
    .use(guards.signedIn, guards.serverOnly)
    .get("/faults", (c) => c.json({ data: faults.list() }))
    .post("/faults", json(FaultSpec, messageOnly), (c) => {
      faults.add(c.req.valid("json"));
      return c.json({ data: faults.list() }, 201);
    })
    .delete("/faults", (c) => {
      faults.clear();
      return c.body(null, 204);
    })
    .get("/answers", (c) => c.json({ data: answers.list() }))
    .post("/answers", json(AnswerSpec, messageOnly), (c) => {
      answers.add(c.req.valid("json"));
      return c.json({ data: answers.list() }, 201);
    })
    .delete("/answers", (c) => {
      answers.clear();
      return c.body(null, 204);
    })
    .post("/test-events", json(TestEventBody, messageOnly), async (c) => {
      const b = c.req.valid("json");
      const owner = { environment: environmentOf(c), externalUserId: b.external_user_id };
      return c.json({ data: await emitTestEvent(deps, owner, b.deployed_trigger_id) }, 202);
    });
}
