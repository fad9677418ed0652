/**
 * The fetch the server-side SDK goes through, made to survive what Pipedream
 * documents: an empty `202` (see shared/accepted.ts), proxied responses larger
 * than the app will hold, and, for the in-process sandbox, the SDK's timeout
 * (its abort signal, which a direct call into a Hono app would ignore).
 */
import { emptyAcceptedAsObject } from "../../shared/accepted.ts";

/** Proxied responses above this are refused (Pipedream documents no limit; this app holds them in memory). */
export const MAX_PROXY_RESPONSE_BYTES = 10 * 1024 * 1024;

export class ResponseTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`The response is larger than ${Math.round(limitBytes / 1024 / 1024)} MB`);
    this.name = "ResponseTooLargeError";
  }
}

const isProxyCall = (url: string) => /\/v1\/connect\/[^?]*\/proxy\//.test(new URL(url).pathname);

/** Stops reading a body once it passes `limit` bytes. */
function capBody(res: Response, limit: number): Response {
  const declared = Number(res.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) {
    res.body?.cancel().catch(() => {});
    throw new ResponseTooLargeError(limit);
  }
  if (!res.body) return res;
  let seen = 0;
  const counted = res.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) controller.error(new ResponseTooLargeError(limit));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Response(counted, { status: res.status, statusText: res.statusText, headers: res.headers });
}

export function pipedreamTransport(
  inner: typeof fetch,
  opts: { maxProxyResponseBytes?: number } = {},
): typeof fetch {
  const limit = opts.maxProxyResponseBytes ?? MAX_PROXY_RESPONSE_BYTES;
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    let res = await inner(input, init);
    if (isProxyCall(url)) res = capBody(res, limit);
    return await emptyAcceptedAsObject(res);
  };
}

/**
 * Calls a fetch handler (the embedded sandbox) in-process, abandoning the
 * call when the request's signal aborts, as a network fetch would, so the
 * SDK's timeout applies to the sandbox too.
 */
export function inProcessFetch(handler: (req: Request) => Response | Promise<Response>): typeof fetch {
  return (input, init) => {
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const answer = Promise.resolve(handler(new Request(input, init)));
    if (!signal) return answer;
    return new Promise<Response>((resolve, reject) => {
      const onAbort = () => reject(abortError(signal));
      signal.addEventListener("abort", onAbort, { once: true });
      answer.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  };
}

/** What a network fetch rejects with: the signal's reason (the SDK's timeout aborts with "timeout"). */
function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("The operation was aborted.", "AbortError");
}
