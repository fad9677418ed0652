/**
 * Request bodies are capped while they stream, not after: the body a route
 * reads is the request's body passed through a counter that fails the read
 * with 413 as soon as the cap is passed (a chunked body has no
 * Content-Length to check first, and a declared one is checked up front).
 * Reading then stops, so memory stays flat however much a client sends.
 *
 * The same reader times out a body that trickles in (no bytes for
 * `idleMs`, or not done within `totalMs`: 408), and turns a client that
 * hangs up mid-upload into a `client_aborted` error, which is logged as one
 * line, not as a storage failure or a bug.
 */
import type { MiddlewareHandler } from "hono";
import { ApiError } from "./errors.ts";

export type BodyLimit = { maxBytes: number; idleMs?: number; totalMs?: number };

/** The cap on an API request's JSON body (the app's, and validate.ts's own). */
export const MAX_JSON_BODY_BYTES = 256 * 1024;

export const DEFAULT_BODY_IDLE_MS = 10_000;
export const DEFAULT_BODY_TOTAL_MS = 30_000;

export const tooLarge = (maxBytes: number) =>
  new ApiError(413, "body_too_large", `Request body must be at most ${maxBytes} bytes`);

export class ClientAbortError extends ApiError {
  constructor() {
    super(400, "client_aborted", "The client closed the connection before sending the whole body");
    this.name = "ClientAbortError";
  }
}

/** A body stream that fails at the cap, on a stall, or when the client goes away. */
export function limitedStream(
  source: ReadableStream<Uint8Array>,
  limit: BodyLimit,
): ReadableStream<Uint8Array> {
  const idleMs = limit.idleMs ?? DEFAULT_BODY_IDLE_MS;
  const deadline = Date.now() + (limit.totalMs ?? DEFAULT_BODY_TOTAL_MS);
  const reader = source.getReader();
  let size = 0;
  const fail = (ctrl: ReadableStreamDefaultController<Uint8Array>, err: ApiError) => {
    ctrl.error(err);
    reader.cancel(err).catch(() => {});
  };
  return new ReadableStream<Uint8Array>({
    async pull(ctrl) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const wait = Math.max(0, Math.min(idleMs, deadline - Date.now()));
      const stalled = new Promise<"stalled">((
        resolve,
      ) => (timer = setTimeout(() => resolve("stalled"), wait)));
      let chunk: ReadableStreamReadResult<Uint8Array> | "stalled";
      try {
        chunk = await Promise.race([reader.read(), stalled]);
      } catch (err) {
        // Another cap in front of this one has spoken; anything else is the connection going away.
        return fail(ctrl, err instanceof ApiError ? err : new ClientAbortError());
      } finally {
        clearTimeout(timer);
      }
      if (chunk === "stalled") {
        return fail(ctrl, new ApiError(408, "body_timeout", "The request body arrived too slowly"));
      }
      if (chunk.done) return ctrl.close();
      size += chunk.value.length;
      if (size > limit.maxBytes) return fail(ctrl, tooLarge(limit.maxBytes));
      ctrl.enqueue(chunk.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

/**
 * Middleware: every body is read through `limitedStream` with the cap
 * `limitFor` gives the request's path (undefined: another layer caps it). A body the route never read is
 * cancelled after the answer, so Deno closes the connection instead of
 * draining it.
 */
export function bodyLimit(limitFor: (path: string) => BodyLimit | undefined): MiddlewareHandler {
  return async (c, next) => {
    const raw = c.req.raw;
    // The path first: reading `body` makes Deno build a stream for it, which a route that reads its
    // own body (the webhook receiver) would rather it did not.
    const limit = limitFor(c.req.path);
    if (!limit || !raw.body) return next();
    const declared = Number(raw.headers.get("content-length") ?? "");
    if (Number.isFinite(declared) && declared > limit.maxBytes) {
      await raw.body.cancel().catch(() => {});
      throw tooLarge(limit.maxBytes);
    }
    const body = limitedStream(raw.body, limit);
    // The original request's signal is left alone: reading it opts Deno.serve
    // into its legacy abort mode.
    c.req.raw = new Request(raw.url, {
      method: raw.method,
      headers: raw.headers,
      body,
      duplex: "half",
    } as RequestInit);
    try {
      await next();
    } finally {
      if (!c.req.raw.bodyUsed) await body.cancel().catch(() => {});
    }
  };
}
