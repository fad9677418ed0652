/**
 * The webhook benchmark's "verification without storage" anchor: the very
 * checks the app's trigger route makes before it stores anything
 * (receiver.ts: type and size, deployment, signature and its window, owner,
 * project, JSON depth), then a 200 without a write. Its distance from the
 * durable route is what storing costs; production code carries no switch
 * for it.
 */
import { Hono } from "hono";
import type { Config } from "../backend/config.ts";
import type { Db } from "../backend/database/db.ts";
import { ApiError, errorResponse } from "../backend/http/errors.ts";
import type { Clock } from "../backend/lib/clock.ts";
import { readLimitedBody } from "../backend/webhooks/read_body.ts";
import { triggerDeliveryChecks } from "../backend/webhooks/receiver.ts";

export function verifyOnlyReceiver(db: Db, config: Config, clock: Clock): Hono {
  const check = triggerDeliveryChecks({ db, config });
  const app = new Hono();
  app.onError((err, c) => {
    if (err instanceof ApiError) return errorResponse(c, err);
    console.error("verify-only receiver:", err);
    return errorResponse(c, new ApiError(500, "internal", "verify-only receiver failed"));
  });
  app.post("/webhooks/pipedream/triggers", async (c) => {
    await check(c.req.raw.headers, await readLimitedBody(c), clock.now());
    return c.json({ ok: true });
  });
  return app;
}
