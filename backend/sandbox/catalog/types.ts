/**
 * What a sandbox app and its components are made of. Props are written in
 * Pipedream's wire shape (snake_case), since they are served as they are.
 */
import type { Db } from "../../database/db.ts";

export type WireProp = Record<string, unknown> & { name: string; type: string };
export type Option = { label: string; value: string | number };
export type Observation = { ts: number; k: string; msg?: string; err?: { name: string; message: string } };

export type SandboxAccount = {
  id: string;
  externalUserId: string;
  app: string;
  name: string;
  credentials: Record<string, string>;
};

export type Ctx = {
  db: Db;
  now: number;
  externalUserId: string;
  /** The user's account named by an app prop, already checked to be theirs. */
  account(propName: string): Promise<SandboxAccount>;
  log(msg: string): void;
  /** Emits an event to the user's deployments of `componentKey` that match. */
  emit(
    componentKey: string,
    match: (configured: Record<string, unknown>) => boolean,
    event: Record<string, unknown>,
    summary: string,
  ): Promise<number>;
};

export class PropError extends Error {}

export type ComponentDef = {
  key: string;
  name: string;
  version: string;
  description: string;
  type: "action" | "trigger";
  /** Props for the given configuration (reload props: the choice of one prop adds others). */
  props(configured: Record<string, unknown>): WireProp[];
  options?(ctx: Ctx, prop: string, configured: Record<string, unknown>, query?: string): Promise<Option[]>;
  run?(
    ctx: Ctx,
    configured: Record<string, unknown>,
  ): Promise<{ ret: unknown; summary: string; exports?: Record<string, unknown> }>;
  /** Timer triggers: called each interval with the deployment's configuration. */
  onTimer?(
    ctx: Ctx,
    configured: Record<string, unknown>,
    since: number,
  ): Promise<Array<{ event: Record<string, unknown>; summary: string }>>;
  timerIntervalSeconds?(configured: Record<string, unknown>): number;
  /**
   * Triggers: the event this app would send for a made-up occurrence, for the
   * sandbox's "send a test event" (Pipedream has no such API; see
   * test_events.ts). Without it, a generic test event is sent.
   */
  sampleEvent?(
    configured: Record<string, unknown>,
    now: number,
  ): { event: Record<string, unknown>; summary: string };
};

export type ProxyRequest = {
  method: string;
  path: string;
  query: URLSearchParams;
  /** The caller's headers (what it sent as `x-pd-proxy-<name>`), by lower-case name. */
  headers: Record<string, string>;
  body: unknown;
};
export type ProxyResult = { status: number; body: unknown };

/** A field the Connect form asks for (key apps), and what a valid value is. */
export type CredentialField = {
  name: string;
  label: string;
  description: string;
  secret?: boolean;
  pattern: RegExp;
  /** What the form says when a value does not match `pattern`. */
  invalid: string;
};

export type AppDef = {
  slug: string;
  name: string;
  /** OAuth apps get minted tokens on approval; key apps get the fields their user typed, once valid. */
  authType: "oauth" | "keys";
  description: string;
  categories: string[];
  color: string;
  glyph: string;
  /**
   * The third-party API's base URL (Pipedream's `base_proxy_target_url`):
   * fixed, or, for an app whose domain depends on the account, a template
   * naming the account's fields (`https://{{custom_fields.subdomain}}.…`).
   */
  apiBase: string;
  /**
   * The domains a full URL sent to the Connect proxy may name (Pipedream's
   * `allowed_domains`); null for an app with account-specific domains, which
   * takes relative paths only.
   */
  allowedDomains: string[] | null;
  /** For `keys` apps: the fields the Connect form asks for, each checked before an account is made. */
  customFields?: CredentialField[];
  components: ComponentDef[];
  /** The app's own small HTTP API, reached through the Connect proxy. */
  api(ctx: Ctx, account: SandboxAccount, req: ProxyRequest): Promise<ProxyResult>;
};

export function str(v: unknown, name: string): string {
  if (typeof v !== "string" || v.trim() === "") throw new PropError(`${name} is required`);
  return v;
}
