/**
 * The checks that come before a webhook body is even parsed: its type and
 * its size (read with a cap, so a lying Content-Length cannot make us buffer
 * more than the limit).
 */
import type { Context } from "hono";
import { ApiError } from "../http/errors.ts";

export const MAX_WEBHOOK_BYTES = 1024 * 1024;

export async function readLimitedBody(c: Context): Promise<Uint8Array> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ApiError(415, "unsupported_media_type", "Webhooks must be sent as application/json");
  }
  if (Number(c.req.header("content-length") ?? "0") > MAX_WEBHOOK_BYTES) {
    throw new ApiError(413, "body_too_large", `Webhook bodies are limited to ${MAX_WEBHOOK_BYTES} bytes`);
  }
  const reader = c.req.raw.body?.getReader();
  if (!reader) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_WEBHOOK_BYTES) {
      await reader.cancel();
      throw new ApiError(413, "body_too_large", `Webhook bodies are limited to ${MAX_WEBHOOK_BYTES} bytes`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const ch of chunks) {
    out.set(ch, offset);
    offset += ch.length;
  }
  return out;
}

export function parseJsonBody(raw: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(raw));
  } catch {
    throw new ApiError(400, "bad_json", "Webhook body is not valid JSON");
  }
}
