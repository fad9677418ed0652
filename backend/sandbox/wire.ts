/** Sandbox state as Pipedream's wire format (snake_case, as the SDK expects it). */
import { z } from "zod";
import { fromBase64Text, toBase64 } from "../../shared/encoding.ts";
import { findComponent } from "./catalog/index.ts";
import type { AppDef, ComponentDef, SandboxAccount } from "./catalog/types.ts";
import { badRequest } from "./http.ts";
import type { ProjectEnvironment } from "./environment.ts";
import type { Deployment } from "./store.ts";

export function appIcon(origin: string, app: AppDef): string {
  return `${origin}/_static/icons/${app.slug}.svg`;
}

/**
 * The app's Connect proxy settings as live shows them in app info and in
 * Connect webhooks (observed; not in the OpenAPI `App`): the domains a full
 * URL may name, or null and a templated base for account-specific domains.
 */
export function appConnect(app: AppDef) {
  return { allowed_domains: app.allowedDomains, base_proxy_target_url: app.apiBase, proxy_enabled: true };
}

export function wireApp(app: AppDef, origin: string) {
  return {
    id: `app_sbx_${app.slug}`,
    name_slug: app.slug,
    name: app.name,
    auth_type: app.authType,
    description: app.description,
    img_src: appIcon(origin, app),
    // The form's fields as Pipedream lists them; how each is checked stays on the server.
    custom_fields_json: JSON.stringify(
      (app.customFields ?? []).map(({ pattern: _p, invalid: _i, ...f }) => f),
    ),
    categories: app.categories,
    featured_weight: 100,
    scope_profiles: [],
    connect: appConnect(app),
  };
}

export function wireComponent(c: ComponentDef, configured: Record<string, unknown> = {}) {
  return {
    key: c.key,
    name: c.name,
    version: c.version,
    description: c.description,
    component_type: c.type,
    configurable_props: c.props(configured),
  };
}

export type AccountRow = SandboxAccount & {
  environment: ProjectEnvironment;
  healthy: boolean;
  createdAt: number;
  updatedAt: number;
};

export function wireAccount(
  a: AccountRow,
  app: AppDef | undefined,
  origin: string,
  withCredentials: boolean,
) {
  return {
    id: a.id,
    name: a.name,
    external_id: a.externalUserId,
    healthy: a.healthy,
    dead: false,
    ...(app ? { app: wireApp(app, origin) } : {}),
    created_at: new Date(a.createdAt).toISOString(),
    updated_at: new Date(a.updatedAt).toISOString(),
    ...(withCredentials ? { credentials: a.credentials } : {}),
  };
}

/** What live Pipedream names a deployment: the project, then its owner (observed: `"<project> - exu_…"`). */
const DEPLOYMENT_NAME_PREFIX = "pipedream-connect (sandbox)";

/**
 * A deployment as Pipedream shows it. Its timestamps are epoch milliseconds
 * (OpenAPI DeployedComponent). Its webhook signing key appears only where the
 * document says it does: in the deploy response, with a `webhook_url`, to an
 * OAuth caller (`withSigningKey`).
 */
export function wireDeployment(d: Deployment, withSigningKey = false) {
  const found = findComponent(d.componentKey);
  const ownerId = `exu_${d.externalUserId}`;
  return {
    id: d.id,
    owner_id: ownerId,
    component_id: `sc_${d.componentKey}`,
    component_key: d.componentKey,
    configurable_props: found ? found.component.props(d.configuredProps) : [],
    configured_props: d.configuredProps,
    active: d.active,
    created_at: d.createdAt,
    updated_at: d.updatedAt,
    name: `${DEPLOYMENT_NAME_PREFIX} - ${ownerId}`,
    name_slug: d.componentKey,
    type: "DeployedComponent",
    webhook_signing_key: withSigningKey && d.webhookUrl ? d.signingKey : null,
  };
}

export function iconSvg(app: AppDef): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="${app.name}">` +
    `<rect width="64" height="64" rx="14" fill="${app.color}"/>` +
    `<text x="32" y="43" font-family="system-ui,sans-serif" font-size="30" font-weight="700" fill="#fff" text-anchor="middle">${app.glyph}</text>` +
    `<rect x="40" y="46" width="20" height="12" rx="3" fill="#fff" opacity=".9"/>` +
    `<text x="50" y="55" font-family="system-ui,sans-serif" font-size="7" font-weight="700" fill="${app.color}" text-anchor="middle">SBX</text></svg>`;
}

/** The `limit` query parameter of every list. Page size: Pipedream documents no bounds; the sandbox allows 1 to 100 (default 20) and refuses others. */
export const Limit = z.coerce.number().int().min(1).max(100).default(20);

function cursorOffset(after: string): number {
  let decoded = "";
  try {
    decoded = fromBase64Text(after);
  } catch { /* not base64: refused below */ }
  const m = decoded.match(/^c:(\d{1,9})$/);
  if (!m) throw badRequest("after: not a cursor this list returned");
  return Number(m[1]);
}

/**
 * Cursor pagination over an ordered list, as Pipedream pages its lists: the
 * documented examples return an `end_cursor` on the last page too, so a
 * client learns there is no more only from the next, empty page (whose
 * `end_cursor` is null). A cursor the list did not hand out is a 400.
 */
export function paginate<T>(items: T[], after: string | undefined, limit: number) {
  const start = after ? cursorOffset(after) : 0;
  const page = items.slice(start, start + limit);
  const end = start + page.length;
  return {
    data: page,
    page_info: {
      count: page.length,
      total_count: items.length,
      start_cursor: toBase64(`c:${start}`),
      end_cursor: page.length > 0 ? toBase64(`c:${end}`) : null,
    },
  };
}
