/**
 * The webhook benchmark's "verification without storage" anchor: the checks
 * the app's trigger route makes before it stores anything (type and size,
 * the deployment's signing key, the signature and its time window, the
 * JSON), then a 200 without a write. Its distance from the durable route is
 * what storing costs; production code carries no switch for it.
 */
import { Hono } from "hono";
import type { Db } from "../backend/database/db.ts";
import { findTrigger } from "../backend/database/triggers.ts";
import { ApiError, errorResponse } from "../backend/http/errors.ts";
import type { Clock } from "../backend/lib/clock.ts";
import { verifyDelivery } from "../backend/lib/webhook_signature.ts";
import { parseJsonBody, readLimitedBody } from "../backend/webhooks/read_body.ts";

export function verifyOnlyReceiver(db: Db, clock: Clock): Hono {
  const app = new Hono();
  app.onError((err, c) => {
    if (err instanceof ApiError) return errorResponse(c, err);
    console.error("verify-only receiver:", err);
    return errorResponse(c, new ApiError(500, "internal", "verify-only receiver failed"));
  });
  app.post("/webhooks/pipedream/triggers", async (c) => {
    const raw = await readLimitedBody(c);
    const deployment = await findTrigger(db, c.req.header("x-pd-emitter-id") ?? "");
    if (!deployment?.signingKey) throw new ApiError(410, "unknown_deployment", "No such deployment here");
    const verified = await verifyDelivery([deployment.signingKey], c.req.raw.headers, raw, clock.now());
    if (!verified.ok) throw new ApiError(401, "invalid_signature", verified.reason);
    const body = parseJsonBody(raw) as { metadata?: { emitter_id?: unknown } };
    if (body?.metadata?.emitter_id !== deployment.id) {
      throw new ApiError(400, "invalid_event", "Not a delivery");
    }
    return c.json({ ok: true });
  });
  return app;
}
