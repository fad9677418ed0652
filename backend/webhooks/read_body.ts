/**
 * The checks that come before a webhook body is used: its type and its size
 * (read with a cap, so a lying Content-Length cannot make us buffer more than
 * the limit, and with the app's timeouts), then JSON with a nesting limit, so
 * one hostile event cannot exhaust a parser, a database query or a browser
 * later.
 */
import type { Context } from "hono";
import {
  ClientAbortError,
  DEFAULT_BODY_IDLE_MS,
  DEFAULT_BODY_TOTAL_MS,
  limitedStream,
  tooLarge,
} from "../http/body_limit.ts";
import { ApiError } from "../http/errors.ts";
import { Deadlines } from "../lib/deadlines.ts";

/** How long a body may stall, and take in all (http/body_limit.ts has the defaults). */
export type BodyTimeouts = { idleMs?: number; totalMs?: number };

export const MAX_WEBHOOK_BYTES = 1024 * 1024;
/** Deepest nesting of arrays/objects accepted in an event (a real event is a few levels deep). */
export const MAX_EVENT_DEPTH = 64;

/**
 * The body, read through the app's streaming cap (http/body_limit.ts: at
 * most 1 MiB, failing as soon as more comes; a body that stalls times out;
 * a client that hangs up is a client_aborted error). The receiver reads its
 * own body rather than through the app-wide middleware, which rebuilds each
 * request around a wrapped body: copying a delivery's headers into a new
 * Request cost a webhook more than its signature check.
 */
export async function readLimitedBody(c: Context, timeouts: BodyTimeouts = {}): Promise<Uint8Array> {
  const raw = c.req.raw;
  // A body the route will not read is cancelled, so Deno closes the connection instead of draining it.
  const refuse = async (err: ApiError) => {
    await raw.body?.cancel().catch(() => {});
    return err;
  };
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw await refuse(
      new ApiError(415, "unsupported_media_type", "Webhooks must be sent as application/json"),
    );
  }
  const declared = Number(c.req.header("content-length") ?? "");
  if (declared > MAX_WEBHOOK_BYTES) throw await refuse(tooLarge(MAX_WEBHOOK_BYTES));
  // Not when chunked as well: then the chunks, not the declared length, would end the body.
  if (declared > 0 && declared <= WHOLE_READ_BYTES && !c.req.header("transfer-encoding")) {
    return await readWhole(raw, timeouts);
  }
  if (!raw.body) return new Uint8Array();
  const body = limitedStream(raw.body, { maxBytes: MAX_WEBHOOK_BYTES, ...timeouts });
  return new Uint8Array(await new Response(body).arrayBuffer());
}

/**
 * A body whose Content-Length is declared and small (every event seen so far):
 * HTTP framing stops it at that length, so Deno's own reader may take it
 * whole, with none of the JavaScript stream plumbing a capped read needs per
 * chunk. It must arrive within the idle timeout, as a first chunk must.
 */
const WHOLE_READ_BYTES = 64 * 1024;

/** Bodies read whole wait under these (one timer for all: lib/deadlines.ts). */
const bodyDeadlines = new Deadlines();

async function readWhole(raw: Request, timeouts: BodyTimeouts): Promise<Uint8Array> {
  let cancel!: () => void;
  const stalled = new Promise<never>((_, reject) => {
    cancel = bodyDeadlines.add(
      Math.min(timeouts.idleMs ?? DEFAULT_BODY_IDLE_MS, timeouts.totalMs ?? DEFAULT_BODY_TOTAL_MS),
      () => reject(new ApiError(408, "body_timeout", "The request body arrived too slowly")),
    );
  });
  try {
    // On a stall the answer goes out while Deno's read still waits; it ends with the connection.
    return await Promise.race([raw.bytes(), stalled]);
  } catch (err) {
    throw err instanceof ApiError ? err : new ClientAbortError();
  } finally {
    cancel();
  }
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
  return parseJsonText(raw).value;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** parseJsonBody's value, and the text it was parsed from. */
export function parseJsonText(raw: Uint8Array): { text: string; value: unknown } {
  let text: string;
  try {
    text = strictUtf8.decode(raw);
  } catch {
    throw new ApiError(400, "bad_json", "Webhook body is not valid UTF-8 JSON");
  }
  if (nestsDeeperThan(text, MAX_EVENT_DEPTH)) {
    throw new ApiError(400, "too_deep", `Webhook body nests deeper than ${MAX_EVENT_DEPTH} levels`);
  }
  try {
    return { text, value: JSON.parse(text) };
  } catch {
    throw new ApiError(400, "bad_json", "Webhook body is not valid JSON");
  }
}
