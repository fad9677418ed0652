/**
 * `/admin` (server only): `faults` switch 429s, 5xx, slow answers and
 * delivery faults on and off (faults.ts); `answers` make a component's calls
 * answer as Pipedream documents they may (a failed run, 202 with no body:
 * answers.ts).
 */
import { Hono } from "hono";
import { AnswerSpec } from "../answers.ts";
import { FaultSpec } from "../faults.ts";
import { json, messageOnly, type SandboxEnv } from "../http.ts";
import type { SandboxDeps } from "./types.ts";

export function adminRoutes({ faults, answers, guards }: SandboxDeps) {
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
    });
}
