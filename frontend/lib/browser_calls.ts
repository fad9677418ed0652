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

const MAX = 100;
/** Shaped like the server's recorded calls, so the inspector lists both alike. */
const calls: SdkCall[] = [];
const listeners = new Set<() => void>();
let next = 1;

export function recordBrowserCalls(baseUrl: string): void {
  const original = globalThis.fetch;
  if ((original as { recording?: boolean }).recording) return;
  const wrapped = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith(baseUrl)) return original(input, init);
    const started = performance.now();
    // An empty 202 (configure, props: accepted, result pending) would make the SDK throw.
    const res = await emptyAcceptedAsObject(await original(input, init));
    const body = typeof init?.body === "string" ? init.body : undefined;
    const text = await res.clone().text().catch(() => "");
    calls.unshift({
      id: next++,
      at: new Date().toISOString(),
      method: (init?.method ?? "GET").toUpperCase(),
      path: callPath(new URL(url), new URL(baseUrl).pathname),
      status: res.status,
      durationMs: Math.round(performance.now() - started),
      ...(body ? { requestBody: redactJsonText(body) } : {}),
      ...(text ? { responseBody: redactJsonText(text) } : {}),
    });
    calls.length = Math.min(calls.length, MAX);
    listeners.forEach((l) => l());
    return res;
  };
  (wrapped as { recording?: boolean }).recording = true;
  globalThis.fetch = wrapped as typeof fetch;
}

export function browserCalls(): SdkCall[] {
  return calls;
}

export function clearBrowserCalls(): void {
  calls.length = 0;
  listeners.forEach((l) => l());
}

export function onBrowserCall(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}
