/**
 * The browser's calls to this app's backend, typed with the shared schemas'
 * types. Failures carry the backend's own message.
 */
// Types only: no response is checked here at run time, so zod stays out of
// the first-load bundle (its budget is 110 KB gzip). That the server answers
// in these shapes is checked by backend/routes/contract_test.ts, which parses
// every route's real answer with the schemas (RESPONSES in shared/api.ts).
import type {
  AccountsResponse,
  ConnectTokenResponse,
  DeployedTriggerView,
  DeployTriggerRequest,
  ErrorBody,
  EventsResponse,
  EventSyncResponse,
  ProxyRequest,
  ProxyResponse,
  RunActionRequest,
  RunActionResponse,
  RunDetail,
  RunsResponse,
  SdkCallsResponse,
  SessionResponse,
  TestEventResponse,
  TriggersResponse,
} from "../../shared/api.ts";

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly retryAfter?: number) {
    super(message);
  }
}

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      ...init,
      headers: { ...(init.body ? { "content-type": "application/json" } : {}), ...init.headers },
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError(0, "network", "Could not reach the server. Check your connection and try again.");
  }
  const text = await res.text();
  const json = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const err = (json as Partial<ErrorBody> | undefined)?.error;
    const retryAfter = Number(res.headers.get("retry-after") ?? "") || undefined;
    if (err?.message) throw new ApiError(res.status, err.code ?? "error", err.message, retryAfter);
    throw new ApiError(res.status, "http_error", `The server answered ${res.status}.`, retryAfter);
  }
  return json as T;
}

const post = (body: unknown): RequestInit => ({ method: "POST", body: JSON.stringify(body) });

export const api = {
  startSession: () => call<SessionResponse>("/api/session", post({})),
  forgetMe: () => call<SessionResponse>("/api/session/forget", post({ confirm: true })),
  connectToken: (fresh: boolean) => call<ConnectTokenResponse>("/api/connect/token", post({ fresh })),
  accounts: () => call<AccountsResponse>("/api/accounts"),
  deleteAccount: (id: string) => call<null>(`/api/accounts/${encodeURIComponent(id)}`, { method: "DELETE" }),
  runAction: (req: RunActionRequest) => call<RunActionResponse>("/api/actions/run", post(req)),
  runs: () => call<RunsResponse>("/api/runs"),
  run: (id: string) => call<RunDetail>(`/api/runs/${encodeURIComponent(id)}`),
  deployTrigger: (req: DeployTriggerRequest) => call<DeployedTriggerView>("/api/triggers", post(req)),
  triggers: () => call<TriggersResponse>("/api/triggers"),
  deleteTrigger: (id: string) => call<null>(`/api/triggers/${encodeURIComponent(id)}`, { method: "DELETE" }),
  sendTestEvent: (id: string) =>
    call<TestEventResponse>(`/api/triggers/${encodeURIComponent(id)}/test-event`, post({})),
  events: (trigger?: string, cursor?: string) => {
    const q = new URLSearchParams();
    if (trigger) q.set("trigger", trigger);
    if (cursor) q.set("cursor", cursor);
    return call<EventsResponse>(`/api/events?${q}`);
  },
  syncEvents: () => call<EventSyncResponse>("/api/events/sync", post({})),
  proxy: (req: ProxyRequest) => call<ProxyResponse>("/api/proxy", post(req)),
  sdkCalls: () => call<SdkCallsResponse>("/api/sdk-calls"),
  clearSdkCalls: () => call<null>("/api/sdk-calls", { method: "DELETE" }),
};

export function messageOf(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  // The Pipedream SDK's errors carry the answer's status and body; their message repeats both raw.
  const sdk = err as { statusCode?: unknown; body?: unknown; message?: string };
  if (typeof sdk?.statusCode === "number") {
    const body = sdk.body as { error?: unknown; message?: unknown } | string | undefined;
    const said = typeof body === "string" ? body : body?.error ?? body?.message;
    return `Pipedream answered ${sdk.statusCode}${typeof said === "string" && said ? `: ${said}` : ""}`;
  }
  if (err instanceof Error) return err.message;
  return String(err);
}
