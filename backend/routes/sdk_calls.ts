import { Hono } from "hono";
import { clearSdkCalls, listSdkCalls } from "../database/sdk_calls.ts";
import { userOf } from "../http/session.ts";
import type { AppEnv, RouteDeps } from "./types.ts";

/** The server half of the SDK call inspector: this user's recorded Pipedream calls. */
export function sdkCallRoutes(deps: RouteDeps) {
  return new Hono<AppEnv>()
    .get("/", async (c) => c.json({ data: await listSdkCalls(deps.db, userOf(c)) }))
    .delete("/", async (c) => {
      await clearSdkCalls(deps.db, userOf(c));
      return c.body(null, 204);
    });
}
