/**
 * The webhook routes Pipedream calls, in the format it was observed to send
 * (backend/lib/webhook_format.ts). Nothing is stored unless every check
 * passes, and every refusal is logged with its reason (the answer itself
 * stays generic: refusals.ts). The 2xx goes out only once the event is
 * durable (delivery_store.ts).
 *
 * Trigger deliveries, in this order: content type and size → emitter id
 * shape → deployment lookup → signature (an unknown deployment gets the same
 * answer after the same work as a bad signature, so the route does not tell
 * which dc_ ids exist) → x-pd-timestamp, when sent, readable and near the
 * signed t → owner → project and environment → JSON depth →
 * store once.
 *
 * Connect webhooks are authenticated by the secret in their URL, minted with
 * the token; a signature, if Pipedream sends one and the operator configured
 * the project key, must verify too. Their body is never trusted: a
 * CONNECTION_SUCCESS is shown only if the account, fetched from Pipedream,
 * belongs to the token's user.
 */
import type { Context } from "hono";
import { z } from "zod";
import { DEPLOYED_TRIGGER_ID_SHAPE } from "../../shared/api.ts";
import type { Config } from "../config.ts";
import { findConnectHook } from "../database/connect_tokens.ts";
import type { TriggerRow } from "../database/triggers.ts";
import { ApiError } from "../http/errors.ts";
import { HmacSha256Key, randomToken, sha256Hex } from "../lib/crypto.ts";
import {
  parseTimestampHeader,
  PD_HEADER,
  readDeliveryContext,
  SIGNATURE_TOLERANCE_SECONDS,
  verifySignature,
} from "../lib/webhook_format.ts";
import { projectEnvironmentFor, projectIdFor } from "../pipedream/client.ts";
import { withRetry } from "../pipedream/retry.ts";
import type { RouteDeps } from "../routes/types.ts";
import type { GroupCommitter } from "../database/group_commit.ts";
import { type BodyTimeouts, parseJsonBody, parseJsonText, readLimitedBody } from "./read_body.ts";
import type { DeploymentCache } from "./deployment_cache.ts";
import { connectEventStatements } from "./store.ts";
import { notVerified, unknownHook, type WebhookNote } from "./refusals.ts";
import type { StoreDelivery } from "./delivery_store.ts";

const ConnectDelivery = z.discriminatedUnion("event", [
  z.object({
    event: z.literal("CONNECTION_SUCCESS"),
    connect_token: z.string().min(1).max(500),
    environment: z.string().max(50).optional(),
    account: z.object({ id: z.string().min(1).max(100) }).passthrough(),
  }).passthrough(),
  z.object({
    event: z.literal("CONNECTION_ERROR"),
    connect_token: z.string().min(1).max(500),
    environment: z.string().max(50).optional(),
    error: z.string().max(2000).default("The connection failed"),
  }).passthrough(),
]);

/** The secret the app puts in each Connect webhook URL (see routes/connect_tokens.ts). */
export const CONNECT_SECRET_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export type VerifiedDelivery = {
  deployment: TriggerRow;
  /** The signature's `t` (unix seconds) and the matching `v1`, which names this signed delivery. */
  t: number;
  signature: string;
  event: unknown;
  /** The event as delivered (JSON text). */
  eventText: string;
};

/**
 * Every check a trigger delivery passes before it may be stored, after its
 * type and size: throws the refusal, or returns the delivery. The benchmark's
 * verify-only server runs exactly this.
 */
export function triggerDeliveryChecks(deps: { config: Config; deployments: DeploymentCache }) {
  const expected = { projectId: projectIdFor(deps.config), environment: projectEnvironmentFor(deps.config) };
  // Verifying against a key nobody has costs what a real check costs.
  const decoyKey = new HmacSha256Key(randomToken(32));
  return async (headers: Headers, raw: Uint8Array, now: number): Promise<VerifiedDelivery> => {
    const sent = readDeliveryContext(headers);
    const wellFormed = sent.emitterId !== undefined && DEPLOYED_TRIGGER_ID_SHAPE.test(sent.emitterId);
    const known = wellFormed ? await deps.deployments.get(sent.emitterId!) : undefined;
    const deployment = known?.deployment;
    const verified = verifySignature(known?.key ?? decoyKey, headers, raw, now);
    if (!wellFormed) throw notVerified(`missing or malformed ${PD_HEADER.emitterId}`);
    if (!deployment) throw notVerified("no live deployment with this id here");
    if (!known.key) throw notVerified("no signing key is known for this deployment");
    if (!verified.ok) throw notVerified(verified.reason);
    const stamped = headers.get(PD_HEADER.timestamp);
    if (stamped !== null) {
      // Unsigned, so it proves nothing; but a delivery whose two clocks disagree is not one Pipedream sent
      // as observed, and a refused one is recovered from the event log all the same.
      const ms = parseTimestampHeader(stamped);
      if (ms === undefined) throw notVerified(`malformed ${PD_HEADER.timestamp}`);
      if (Math.abs(ms / 1000 - verified.t) > SIGNATURE_TOLERANCE_SECONDS) {
        throw notVerified(`${PD_HEADER.timestamp} is far from the signature's t`);
      }
    }
    if (sent.externalUserId !== deployment.externalUserId) {
      throw notVerified(`${PD_HEADER.externalUserId} is not the deployment's owner`);
    }
    if (sent.projectId !== undefined && sent.projectId !== expected.projectId) {
      throw notVerified(`${PD_HEADER.projectId} is not ${expected.projectId}`);
    }
    if (sent.environment !== undefined && sent.environment !== expected.environment) {
      throw notVerified(`${PD_HEADER.environment} is not ${expected.environment}`);
    }
    const { text, value } = parseJsonText(raw);
    return { deployment, t: verified.t, signature: verified.signature, event: value, eventText: text };
  };
}

export type ReceiverDeps = RouteDeps & {
  committer: GroupCommitter;
  /** Where verified deliveries are stored (delivery_store.ts). */
  storeDelivery: StoreDelivery;
  /** How long a body may stall or take (read_body.ts). */
  bodyTimeouts?: BodyTimeouts;
  /** Where ignored webhooks are written (refusals.ts). */
  note: WebhookNote;
};

/** The webhook routes' handlers (mod.ts mounts them; refusals.ts answers what they throw). */
export type WebhookHandlers = {
  /** POST /triggers: a trigger's event. */
  triggers(c: Context): Promise<Response>;
  /** POST /connect/:secret: a Connect webhook. */
  connect(c: Context): Promise<Response>;
};

export function webhookHandlers(deps: ReceiverDeps): WebhookHandlers {
  const expected = { environment: projectEnvironmentFor(deps.config) };
  const checkTriggerDelivery = triggerDeliveryChecks(deps);
  const { note } = deps;

  const triggers = async (c: Context) => {
    const raw = await readLimitedBody(c, deps.bodyTimeouts);
    const now = deps.clock.now();
    const { deployment, t, signature, event, eventText } = await checkTriggerDelivery(
      c.req.raw.headers,
      raw,
      now,
    );
    const { id: deploymentId, externalUserId } = deployment;
    await deps.storeDelivery(
      { deploymentId, externalUserId, t, signature, receivedAt: now, eventText },
      event,
    );
    return c.json({ ok: true });
  };

  const connect = async (c: Context) => {
    const raw = await readLimitedBody(c, deps.bodyTimeouts);
    const now = deps.clock.now();
    const secret = c.req.param("secret") ?? "";
    const hook = CONNECT_SECRET_SHAPE.test(secret) ? await findConnectHook(deps.db, secret, now) : undefined;
    if (!hook) throw unknownHook("unknown or expired Connect webhook secret");
    const projectKey = deps.config.connectWebhookSigningKey;
    if (projectKey && c.req.header(PD_HEADER.signature) !== undefined) {
      const verified = await verifySignature(projectKey, c.req.raw.headers, raw, now);
      if (!verified.ok) throw notVerified(`Connect webhook: ${verified.reason}`);
    }
    const parsed = ConnectDelivery.safeParse(parseJsonBody(raw));
    if (!parsed.success) throw new ApiError(400, "invalid_event", "Body is not a Connect event");
    const body = parsed.data;
    if (await sha256Hex(body.connect_token) !== hook.tokenHash) {
      throw unknownHook("connect_token is not the token this URL was minted with");
    }
    if (body.environment !== undefined && body.environment !== expected.environment) {
      throw unknownHook(`environment is not ${expected.environment}`);
    }
    const owner = hook.externalUserId;
    if (body.event === "CONNECTION_SUCCESS") {
      // The body names an account; only Pipedream can say whose it is.
      const accountId = body.account.id;
      const account = await withRetry(() => deps.pipedream.accounts.retrieve(accountId)).catch((err) => {
        note(c, "ignored", {
          reason: "could not fetch the account",
          accountId,
          error: String(err).slice(0, 200),
        });
        return undefined;
      });
      if (!account) return c.json({ ok: true });
      if (account.externalId !== owner) {
        note(c, "ignored", { reason: "the account belongs to another user", accountId });
        return c.json({ ok: true });
      }
      deps.tokenCache.invalidate(owner, body.connect_token);
    }
    await deps.committer.commit(connectEventStatements({
      bodyHash: await sha256Hex(raw),
      externalUserId: owner,
      type: body.event,
      accountId: body.event === "CONNECTION_SUCCESS" ? body.account.id : null,
      error: body.event === "CONNECTION_ERROR" ? body.error : null,
      receivedAt: new Date(now).toISOString(),
    }));
    return c.json({ ok: true });
  };

  return { triggers, connect };
}
