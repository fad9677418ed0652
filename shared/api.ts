/**
 * The backend's HTTP API as zod schemas: the single source of the request and
 * response types used by the Hono routes and by the React frontend.
 *
 * No `Deno` here: this file is bundled for the browser too.
 */
import { z } from "zod";

/** Every error the API returns has this shape. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const Mode = z.enum(["sandbox", "live"]);
export type Mode = z.infer<typeof Mode>;

/** A JSON object whose keys are safe to use as object keys (no prototype pollution). */
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);
export function hasForbiddenKey(value: unknown, depth = 0): boolean {
  if (depth > 32) return true;
  if (Array.isArray(value)) return value.some((v) => hasForbiddenKey(v, depth + 1));
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (FORBIDDEN_KEYS.has(k) || hasForbiddenKey(v, depth + 1)) return true;
    }
  }
  return false;
}

/** Props as a component form produces them: a plain JSON object, bounded in depth. */
export const ConfiguredProps = z.record(z.string().max(200), z.unknown()).refine(
  (v) => !hasForbiddenKey(v),
  { message: "must not contain __proto__, constructor or prototype keys, nor nest deeper than 32 levels" },
);
export type ConfiguredProps = z.infer<typeof ConfiguredProps>;

/** Component keys look like `google_sheets-add-single-row`. */
export const ComponentKey = z.string().min(1).max(200).regex(
  /^[a-z0-9_]+(-[a-z0-9_]+)+$/,
  "must be a component key like google_sheets-add-single-row",
);
export const AccountId = z.string().regex(/^apn_[A-Za-z0-9]{1,64}$/, "must be an account id (apn_…)");
/** A deployed trigger id's shape (the webhook receiver tests it alone, on every delivery). */
export const DEPLOYED_TRIGGER_ID_SHAPE = /^dc_[A-Za-z0-9]{1,64}$/;
export const DeployedTriggerId = z.string().regex(
  DEPLOYED_TRIGGER_ID_SHAPE,
  "must be a deployed trigger id (dc_…)",
);
export const DynamicPropsId = z.string().min(1).max(200);
export const RunId = z.string().regex(/^run_[0-9a-f]{32}$/, "must be a run id (run_…)");

// ---------------------------------------------------------------- session

export const SessionResponse = z.object({
  externalUserId: z.string(),
  mode: Mode,
  /** Where the browser SDK should send its calls (the sandbox in sandbox mode). */
  pipedream: z.object({
    baseUrl: z.string().optional(),
    frontendHost: z.string().optional(),
    projectEnvironment: z.enum(["development", "production"]),
  }),
});
export type SessionResponse = z.infer<typeof SessionResponse>;

/**
 * What `GET /api/session` (and the page) says: the session, or
 * `externalUserId: null` when the browser has none yet. Reading never creates
 * one; `POST /api/session` does.
 */
export const SessionState = SessionResponse.extend({ externalUserId: z.string().nullable() });
export type SessionState = z.infer<typeof SessionState>;

/** `POST /api/session`: starts a session if there is none (an empty object). */
export const StartSessionRequest = z.object({}).strict();

/** `POST /api/session/forget`: the user confirms they mean it. */
export const ForgetMeRequest = z.object({ confirm: z.literal(true) }).strict();
export type ForgetMeRequest = z.infer<typeof ForgetMeRequest>;

// ---------------------------------------------------------------- connect tokens

export const ConnectTokenRequest = z.object({}).strict();
export const ConnectTokenResponse = z.object({
  token: z.string(),
  expiresAt: z.string(),
  connectLinkUrl: z.string(),
});
export type ConnectTokenResponse = z.infer<typeof ConnectTokenResponse>;

// ---------------------------------------------------------------- accounts

export const AppSummary = z.object({
  nameSlug: z.string(),
  name: z.string(),
  imgSrc: z.string().optional(),
  authType: z.string().optional(),
});
export type AppSummary = z.infer<typeof AppSummary>;

export const AccountView = z.object({
  id: z.string(),
  name: z.string().optional(),
  app: AppSummary.optional(),
  healthy: z.boolean(),
  dead: z.boolean(),
  error: z.string().optional(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  expiresAt: z.string().optional(),
});
export type AccountView = z.infer<typeof AccountView>;

export const AccountsResponse = z.object({ data: z.array(AccountView) });
export type AccountsResponse = z.infer<typeof AccountsResponse>;

// ---------------------------------------------------------------- actions

export const RunActionRequest = z.object({
  actionId: ComponentKey,
  configuredProps: ConfiguredProps,
  dynamicPropsId: DynamicPropsId.optional(),
}).strict();
export type RunActionRequest = z.infer<typeof RunActionRequest>;

export const Observation = z.object({
  ts: z.number(),
  k: z.string(),
  msg: z.string().optional(),
  err: z.unknown().optional(),
}).passthrough();

/**
/**
 * How a run ended: `success`; `error` (Pipedream refused it, or it ran and
 * logged `k: "error"` observations: Pipedream answers those runs 200 too);
 * `pending` (Pipedream accepted it with `202` and no result yet); `running`
 * (sent to Pipedream, no answer yet); `unknown` (sent, but no clear answer
 * came back, or the app stopped before recording it: it may have run, so
 * check before running it again).
 */
export const RunOutcome = z.enum(["success", "error", "pending", "running", "unknown"]);
export type RunOutcome = z.infer<typeof RunOutcome>;

export const RunActionResponse = z.object({
  runId: z.string(),
  outcome: RunOutcome,
  /** Why the run failed, when `outcome` is `error`. */
  error: z.string().optional(),
  /** Set when the run happened but its record could not be saved: the result stands, do not retry. */
  warning: z.string().optional(),
  exports: z.record(z.string(), z.unknown()),
  ret: z.unknown(),
  os: z.array(Observation),
  stashId: z.string().nullable(),
});
export type RunActionResponse = z.infer<typeof RunActionResponse>;

export const RunRecord = z.object({
  id: z.string(),
  componentKey: z.string(),
  startedAt: z.string(),
  durationMs: z.number(),
  outcome: RunOutcome,
  error: z.string().optional(),
  configuredProps: z.record(z.string(), z.unknown()),
});
export type RunRecord = z.infer<typeof RunRecord>;
/** One run with what it returned (`GET /api/runs/:id`); `result` is absent for failed runs. */
export const RunDetail = RunRecord.extend({
  result: RunActionResponse.pick({ exports: true, ret: true, os: true }).optional(),
});
export type RunDetail = z.infer<typeof RunDetail>;
export const RunsResponse = z.object({ data: z.array(RunRecord) });
export type RunsResponse = z.infer<typeof RunsResponse>;

// ---------------------------------------------------------------- triggers

export const DeployTriggerRequest = z.object({
  triggerId: ComponentKey,
  configuredProps: ConfiguredProps,
  dynamicPropsId: DynamicPropsId.optional(),
}).strict();
export type DeployTriggerRequest = z.infer<typeof DeployTriggerRequest>;

export const DeployedTriggerView = z.object({
  id: z.string(),
  componentKey: z.string(),
  name: z.string(),
  active: z.boolean(),
  createdAt: z.string(),
  configuredProps: z.record(z.string(), z.unknown()),
});
export type DeployedTriggerView = z.infer<typeof DeployedTriggerView>;
export const TriggersResponse = z.object({ data: z.array(DeployedTriggerView) });
export type TriggersResponse = z.infer<typeof TriggersResponse>;

/** `POST /api/triggers/:id/test-event` (sandbox mode only): what was done. */
export const TestEventResponse = z.object({ message: z.string() });
export type TestEventResponse = z.infer<typeof TestEventResponse>;

// ---------------------------------------------------------------- proxy

export const HttpMethod = z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]);

/**
 * Headers the Connect proxy rejects with a 400 (docs: connect/api-proxy,
 * "Restricted headers"), plus every `Proxy-*` and `Sec-*` header.
 */
export const PROXY_RESTRICTED_HEADERS = [
  "accept-encoding",
  "access-control-request-headers",
  "access-control-request-method",
  "connection",
  "content-length",
  "cookie",
  "date",
  "dnt",
  "expect",
  "host",
  "keep-alive",
  "origin",
  "permissions-policy",
  "referer",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "via",
];
/** Whether the Connect proxy refuses a header of this name (the sandbox's proxy uses it too). */
export const isProxyRestrictedHeader = (name: string) =>
  PROXY_RESTRICTED_HEADERS.includes(name.toLowerCase()) || /^(proxy|sec)-/i.test(name);

/**
 * What an HTTP header value can be: Latin-1 text without control characters.
 * CR, LF or NUL would split or end the header, and fetch refuses anything else.
 */
export const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

export const ProxyRequest = z.object({
  accountId: AccountId,
  method: HttpMethod,
  /**
   * A full https URL on one of the app's allowed domains, or, for an app whose domain depends on the
   * account (like Zendesk), a path relative to that account's API (`/api/v2/tickets`): the Connect
   * proxy refuses the other form (reference/sandbox.md, "The Connect proxy").
   */
  path: z.string().min(1).max(2048).refine(
    (p) => p.startsWith("/") || /^https:\/\/[^\s]+$/.test(p),
    "must start with / or be an https:// URL",
  ),
  headers: z.record(
    z.string().regex(/^[A-Za-z0-9-]{1,100}$/, "header names are letters, digits and dashes"),
    z.string().max(4096).regex(
      HEADER_VALUE,
      "header values must be Latin-1 text without control characters (no CR, LF or NUL)",
    ),
  ).superRefine((headers, ctx) => {
    for (const name of Object.keys(headers).filter(isProxyRestrictedHeader)) {
      ctx.addIssue({ code: "custom", path: [name], message: `the Connect proxy refuses the ${name} header` });
    }
  }).optional(),
  body: z.unknown().optional(),
}).strict();
export type ProxyRequest = z.infer<typeof ProxyRequest>;

export const ProxyResponse = z.object({
  status: z.number(),
  headers: z.record(z.string(), z.string()),
  body: z.unknown(),
});
export type ProxyResponse = z.infer<typeof ProxyResponse>;

// ---------------------------------------------------------------- events

export const EventView = z.object({
  id: z.string(),
  triggerId: z.string(),
  /** The deployed trigger's name, as the app recorded it at deploy time. */
  triggerName: z.string(),
  /** When Pipedream emitted it (the delivery's signed time, or the event log's). */
  emittedAt: z.string(),
  receivedAt: z.string(),
  /**
   * `webhook`: delivered to the app; `recovered`: its delivery never arrived
   * (the app was down, or failed), so it was fetched from Pipedream's event log.
   */
  source: z.enum(["webhook", "recovered"]),
  summary: z.string().optional(),
  /** The emitted event as Pipedream sent it: any JSON value. */
  event: z.unknown(),
});
export type EventView = z.infer<typeof EventView>;
export const EventsResponse = z.object({
  data: z.array(EventView),
  nextCursor: z.string().nullable(),
});
export type EventsResponse = z.infer<typeof EventsResponse>;

/** `POST /api/events/sync`: fetch missed events from Pipedream's event log now. */
export const EventSyncRequest = z.object({}).strict();
export const EventSyncResponse = z.object({
  /** The user's deployments whose log was read. */
  deployments: z.number().int(),
  /** Events that were not stored yet and now are. */
  recovered: z.number().int(),
  /** Deployments whose log could not be read (Pipedream unreachable); tried again later. */
  failed: z.number().int(),
});
export type EventSyncResponse = z.infer<typeof EventSyncResponse>;

// ---------------------------------------------------------------- SDK call inspector

export const SdkCall = z.object({
  id: z.number(),
  at: z.string(),
  method: z.string(),
  path: z.string(),
  status: z.number(),
  durationMs: z.number(),
  requestBody: z.string().optional(),
  responseBody: z.string().optional(),
});
export type SdkCall = z.infer<typeof SdkCall>;
export const SdkCallsResponse = z.object({ data: z.array(SdkCall) });
export type SdkCallsResponse = z.infer<typeof SdkCallsResponse>;

// ---------------------------------------------------------------- every route's answer

/**
 * What each API route answers with when it succeeds: a schema for a JSON
 * body, `null` for 204 No Content, `"text/event-stream"` for a stream.
 * The frontend uses the types only (zod stays out of its first-load bundle);
 * backend/routes/contract_test.ts parses every route's real answer with these
 * and fails for a route missing here.
 */
export const RESPONSES = {
  "GET /api/session": SessionState,
  "POST /api/session": SessionResponse,
  "POST /api/session/forget": SessionResponse,
  "POST /api/connect/token": ConnectTokenResponse,
  "GET /api/accounts": AccountsResponse,
  "GET /api/accounts/:id": AccountView,
  "DELETE /api/accounts/:id": null,
  "POST /api/actions/run": RunActionResponse,
  "GET /api/runs": RunsResponse,
  "GET /api/runs/:id": RunDetail,
  "GET /api/triggers": TriggersResponse,
  "POST /api/triggers": DeployedTriggerView,
  "POST /api/triggers/:id/test-event": TestEventResponse,
  "DELETE /api/triggers/:id": null,
  "POST /api/proxy": ProxyResponse,
  "GET /api/events": EventsResponse,
  "GET /api/events/stream": "text/event-stream",
  "POST /api/events/sync": EventSyncResponse,
  "GET /api/sdk-calls": SdkCallsResponse,
  "DELETE /api/sdk-calls": null,
} as const satisfies Record<string, z.ZodType | null | "text/event-stream">;
