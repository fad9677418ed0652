/**
 * Records the Pipedream calls the browser client makes (what ComponentForm
 * asked when a remote option loaded, say) for the SDK call inspector. The
 * SDK's browser client takes no custom fetch, so the page's fetch is wrapped
 * for URLs under the Pipedream base URL only. Headers (the bearer token) are
 * never kept; URLs and bodies are redacted by the rules the server's recorder
 * uses (shared/redact.ts).
 * The same wrapper lets the SDK read Pipedream's documented empty `202`.
 */
import { emptyAcceptedAsObject } from "../../shared/accepted.ts";
import type { SdkCall } from "../../shared/api.ts";
import { callPath, redactJsonText } from "../../shared/redact.ts";

/**
 * A browser call has the shape of the server's recorded calls, so the
 * inspector lists both alike; it is listed from the moment it starts
 * (`pending`) and completed when the answer arrives.
 */
export type BrowserCall = SdkCall & { pending?: boolean };

const MAX = 100;
const calls: BrowserCall[] = [];
const listeners = new Set<() => void>();
let next = 1;

export function recordBrowserCalls(baseUrl: string): void {
  const original = globalThis.fetch;
  if ((original as { recording?: boolean }).recording) return;
  const wrapped = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith(baseUrl)) return original(input, init);
    const started = performance.now();
    const body = typeof init?.body === "string" ? init.body : undefined;
    const call: BrowserCall = {
      id: next++,
      at: new Date().toISOString(),
      method: (init?.method ?? "GET").toUpperCase(),
      path: callPath(new URL(url), new URL(baseUrl).pathname),
      status: 0,
      durationMs: 0,
      pending: true,
      ...(body ? { requestBody: redactJsonText(body) } : {}),
    };
    calls.unshift(call);
    calls.length = Math.min(calls.length, MAX);
    changed();
    const finish = (status: number, text?: string) => {
      call.pending = false;
      call.status = status;
      call.durationMs = Math.round(performance.now() - started);
      if (text) call.responseBody = redactJsonText(text);
      changed();
    };
    try {
      // An empty 202 (configure, props: accepted, result pending) would make the SDK throw.
      const res = await emptyAcceptedAsObject(await original(input, init));
      finish(res.status, await res.clone().text().catch(() => ""));
      return res;
    } catch (err) {
      finish(0, `network error: ${(err as Error).message}`);
      throw err;
    }
  };
  (wrapped as { recording?: boolean }).recording = true;
  globalThis.fetch = wrapped as typeof fetch;
}

let version = 0;
function changed() {
  version++;
  listeners.forEach((l) => l());
}

/** Changes whenever a call starts or ends (for useSyncExternalStore). */
export function browserCallsVersion(): number {
  return version;
}

export function browserCalls(): BrowserCall[] {
  return calls;
}

export function clearBrowserCalls(): void {
  calls.length = 0;
  changed();
}

export function onBrowserCall(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}
