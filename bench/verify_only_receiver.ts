/**
 * The webhook benchmark's anchor: a minimal Hono route that checks the same
 * HMAC-SHA256 signature (the live format's `t=,v1=`, through the format
 * module, with the key already in memory) and parses the JSON, storing
 * nothing. What verification alone costs; the app's durable route is
 * measured against it. Production code carries no switch for it.
 */
import { Hono } from "hono";
import { HmacSha256Key } from "../backend/lib/crypto.ts";
import { verifySignature } from "../backend/lib/webhook_format.ts";

export function verifyOnlyReceiver(signingKey: string): Hono {
  const key = new HmacSha256Key(signingKey);
  return new Hono().post("/webhooks/pipedream/triggers", async (c) => {
    const raw = new Uint8Array(await c.req.arrayBuffer());
    if (!verifySignature(key, c.req.raw.headers, raw, Date.now()).ok) {
      return c.json({ error: { code: "invalid_signature", message: "Webhook not verified" } }, 401);
    }
    JSON.parse(new TextDecoder().decode(raw));
    return c.json({ ok: true });
  });
}
