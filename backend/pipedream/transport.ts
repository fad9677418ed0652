/**
 * The fetch the server-side SDK goes through, made to survive what Pipedream
 * documents: an empty `202` (see shared/accepted.ts) and, for the in-process
 * sandbox, the SDK's timeout (its abort signal, which a direct call into a
 * Hono app would ignore). The SDK's proxy client takes no custom fetch (it
 * uses the global one), so proxied responses are bounded in routes/proxy.ts.
 */
import { emptyAcceptedAsObject } from "../../shared/accepted.ts";

export function pipedreamTransport(inner: typeof fetch): typeof fetch {
  return async (input, init) => await emptyAcceptedAsObject(await inner(input, init));
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
