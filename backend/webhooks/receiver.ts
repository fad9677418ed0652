/**
 * The webhook routes Pipedream calls. Each request is checked in this order,
 * and nothing is stored unless every check passes: content type and size,
 * then the signature over the raw body (with the timestamp window), then the
 * JSON. The 2xx goes out only after the event's commit; a redelivery of an
 * event already stored is acknowledged without a second row.
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import { connectTokenOwner } from "../database/connect_tokens.ts";
import { findTrigger } from "../database/triggers.ts";
import { handleErrors } from "../http/error_mapping.ts";
import { ApiError, errorResponse } from "../http/errors.ts";
import { sha256Hex } from "../lib/crypto.ts";
import { verifyDelivery } from "../lib/webhook_signature.ts";
import type { RouteDeps } from "../routes/types.ts";
import type { GroupCommitter } from "./group_commit.ts";
import { parseJsonBody, readLimitedBody } from "./read_body.ts";
import { connectEventStatements, retentionStatement, triggerEventStatements } from "./store.ts";

const TriggerDelivery = z.object({
  event: z.record(z.string(), z.unknown()),
  metadata: z.object({
    emitter_id: z.string().min(1).max(100),
    id: z.string().min(1).max(200),
    ts: z.number().optional(),
    summary: z.string().max(1000).optional(),
  }).passthrough(),
}).passthrough();

const ConnectDelivery = z.discriminatedUnion("event", [
  z.object({
    event: z.literal("CONNECTION_SUCCESS"),
    connect_token: z.string().min(1).max(500),
    account: z.object({ id: z.string().min(1).max(100), external_id: z.string().optional() }).passthrough(),
  }).passthrough(),
  z.object({
    event: z.literal("CONNECTION_ERROR"),
    connect_token: z.string().min(1).max(500),
    error: z.string().max(2000).default("The connection failed"),
  }).passthrough(),
]);

const unauthorized = (reason: string) =>
  new ApiError(401, "invalid_signature", `Webhook not verified: ${reason}`);

export type ReceiverDeps = RouteDeps & { committer: GroupCommitter };

export function webhookReceiver(deps: ReceiverDeps): Hono {
  const app = new Hono();
  app.onError(handleErrors("webhook", errorResponse));

  app.post("/triggers", async (c: Context) => {
    const raw = await readLimitedBody(c);
    const emitterId = c.req.header("x-pd-emitter-id") ?? "";
    if (!/^dc_[A-Za-z0-9]{1,64}$/.test(emitterId)) throw unauthorized("missing or malformed x-pd-emitter-id");
    const deployment = await findTrigger(deps.db, emitterId);
    if (!deployment) {
      // Gone (never ours, or deleted): 410 tells Pipedream to stop retrying.
      throw new ApiError(410, "unknown_deployment", "No such deployment here; stop delivering its events.");
    }
    if (!deployment.signingKey) throw unauthorized("no signing key is known for this deployment");
    const verified = await verifyDelivery([deployment.signingKey], c.req.raw.headers, raw, deps.clock.now());
    if (!verified.ok) throw unauthorized(verified.reason);
    const parsed = TriggerDelivery.safeParse(parseJsonBody(raw));
    if (!parsed.success) throw new ApiError(400, "invalid_event", "Body is not a trigger event delivery");
    if (parsed.data.metadata.emitter_id !== deployment.id) {
      throw unauthorized("emitter id does not match the body");
    }
    await deps.committer.commit(
      triggerEventStatements({
        eventId: parsed.data.metadata.id,
        deploymentId: deployment.id,
        externalUserId: deployment.externalUserId,
        bodyHash: await sha256Hex(raw),
        receivedAt: new Date(deps.clock.now()).toISOString(),
        summary: parsed.data.metadata.summary,
        event: JSON.stringify(parsed.data.event),
      }),
      retentionStatement(deployment.id),
    );
    return c.json({ ok: true });
  });

  app.post("/connect", async (c: Context) => {
    const raw = await readLimitedBody(c);
    const key = await deps.connectKeys.known();
    if (!key) throw unauthorized("no Connect webhook signing key is configured yet");
    const verified = await verifyDelivery([key], c.req.raw.headers, raw, deps.clock.now());
    if (!verified.ok) throw unauthorized(verified.reason);
    const parsed = ConnectDelivery.safeParse(parseJsonBody(raw));
    if (!parsed.success) throw new ApiError(400, "invalid_event", "Body is not a Connect event");
    const body = parsed.data;
    const owner = await connectTokenOwner(deps.db, body.connect_token);
    if (!owner) {
      // A token this app never minted (or long expired): nothing to file it under.
      throw new ApiError(410, "unknown_token", "No user here for that connect token.");
    }
    if (body.event === "CONNECTION_SUCCESS") deps.tokenCache.invalidate(owner, body.connect_token);
    await deps.committer.commit(connectEventStatements({
      bodyHash: await sha256Hex(raw),
      externalUserId: owner,
      type: body.event,
      accountId: body.event === "CONNECTION_SUCCESS" ? body.account.id : null,
      error: body.event === "CONNECTION_ERROR" ? body.error : null,
      receivedAt: new Date(deps.clock.now()).toISOString(),
    }));
    return c.json({ ok: true });
  });

  return app;
}
