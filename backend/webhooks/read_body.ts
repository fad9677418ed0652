/**
 * The checks that come before a webhook body is used: its type and its size
 * (read with a cap, so a lying Content-Length cannot make us buffer more than
 * the limit), then JSON with a nesting limit, so one hostile event cannot
 * exhaust a parser, a database query or a browser later.
 */
import type { Context } from "hono";
import { ApiError } from "../http/errors.ts";

export const MAX_WEBHOOK_BYTES = 1024 * 1024;
/** Deepest nesting of arrays/objects accepted in an event (a real event is a few levels deep). */
export const MAX_EVENT_DEPTH = 64;

export async function readLimitedBody(c: Context): Promise<Uint8Array> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ApiError(415, "unsupported_media_type", "Webhooks must be sent as application/json");
  }
  const tooLarge = () =>
    new ApiError(413, "body_too_large", `Webhook bodies are limited to ${MAX_WEBHOOK_BYTES} bytes`);
  const declared = c.req.header("content-length");
  if (declared !== undefined && /^\d{1,15}$/.test(declared)) {
    if (Number(declared) > MAX_WEBHOOK_BYTES) throw tooLarge();
    // The server reads exactly Content-Length bytes (HTTP framing), so a
    // declared size within the cap bounds the read: one read, no chunk loop.
    return new Uint8Array(await c.req.raw.arrayBuffer());
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
      throw tooLarge();
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

/** Whether JSON text nests arrays/objects deeper than `max`: one pass, no recursion. */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x7b || ch === 0x5b) {
      if (++depth > max) return true;
    } else if (ch === 0x7d || ch === 0x5d) depth--;
  }
  return false;
}

/** Any JSON value (a trigger event need not be an object), at most `MAX_EVENT_DEPTH` deep. */
export function parseJsonBody(raw: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(raw);
  } catch {
    throw new ApiError(400, "bad_json", "Webhook body is not valid UTF-8 JSON");
  }
  if (nestsDeeperThan(text, MAX_EVENT_DEPTH)) {
    throw new ApiError(400, "too_deep", `Webhook body nests deeper than ${MAX_EVENT_DEPTH} levels`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, "bad_json", "Webhook body is not valid JSON");
  }
}
