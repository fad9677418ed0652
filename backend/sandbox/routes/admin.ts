/** `/admin/faults` (server only): switch 429s, 5xx, slow answers and delivery faults on and off (see faults.ts). */
import { Hono } from "hono";
import { FaultSpec } from "../faults.ts";
import { json, messageOnly, type SandboxEnv } from "../http.ts";
import type { SandboxDeps } from "./types.ts";

export function adminRoutes({ faults, guards }: SandboxDeps) {
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
    });
}
