/**
 * The Pipedream Connect REST API, served from sandbox state. Paths here have
 * no project segment; mod.ts strips it (the server SDK sends
 * `/v1/connect/{project}/…`, the browser SDK `/v1/connect//…`).
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { Db } from "../database/db.ts";
import type { Clock } from "../lib/clock.ts";
import { randomToken } from "../lib/crypto.ts";
import { actingUser, authenticate, type Caller, pdError, type SandboxEnv, serverOnly } from "./auth.ts";
import { APPS, findApp, findComponent } from "./catalog/index.ts";
import { type ComponentDef, type Ctx, type Observation, PropError } from "./catalog/types.ts";
import { SANDBOX_CREDENTIALS } from "./credentials.ts";
import type { Deliveries } from "./deliveries.ts";
import { emitEvent } from "./emitter.ts";
import {
  deleteAccounts,
  deleteDeployment,
  type Deployment,
  findAccount,
  findConnectToken,
  findDeployment,
  getSetting,
  insertConnectToken,
  insertDeployment,
  listAccounts,
  listDeployments,
  newId,
  setSetting,
  updateDeployment,
} from "./store.ts";
import { paginate, wireAccount, wireApp, wireComponent } from "./wire.ts";

export type ApiDeps = { db: Db; clock: Clock; deliveries: Deliveries };

const TOKEN_TTL_SECONDS = 4 * 60 * 60;

/**
 * Remote-option values arrive as `{ __lv: { label, value } }` when the form
 * keeps their labels (connect-react does); components see the plain value.
 */
export function unwrapLabeled(props: Record<string, unknown>): Record<string, unknown> {
  const unwrap = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(unwrap);
    if (v && typeof v === "object" && "__lv" in v) {
      const lv = (v as { __lv: unknown }).__lv;
      return Array.isArray(lv)
        ? lv.map((x) => (x as { value?: unknown })?.value)
        : (lv as { value?: unknown })?.value;
    }
    return v;
  };
  return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, unwrap(v)]));
}

const Limit = z.coerce.number().int().min(1).max(100).default(20);
const Props = z.record(z.string(), z.unknown()).default({}).transform(unwrapLabeled);

/** What the form calls (configure, props) send about the component being configured. */
const FormCall = z.object({
  id: z.string().min(1),
  external_user_id: z.string().optional(),
  configured_props: Props,
  dynamic_props_id: z.string().optional(),
}).passthrough();

async function body<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S> | Response> {
  let value: unknown;
  try {
    const text = await c.req.text();
    value = text ? JSON.parse(text) : {};
  } catch {
    return pdError(c, 400, "Request body is not valid JSON", "bad_request");
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    return pdError(c, 400, `${i.path.join(".") || "body"}: ${i.message}`, "bad_request");
  }
  return parsed.data;
}

function query<S extends z.ZodType>(c: Context, schema: S): z.infer<S> | Response {
  const parsed = schema.safeParse(Object.fromEntries(new URL(c.req.url).searchParams));
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    return pdError(c, 400, `${i.path.join(".")}: ${i.message}`, "bad_request");
  }
  return parsed.data;
}

const isResponse = (v: unknown): v is Response => v instanceof Response;

function wireDeployment(d: Deployment) {
  const found = findComponent(d.componentKey);
  return {
    id: d.id,
    owner_id: `exu_${d.externalUserId}`,
    component_id: `sc_${d.componentKey}`,
    component_key: d.componentKey,
    configurable_props: found ? found.component.props(d.configuredProps) : [],
    configured_props: d.configuredProps,
    active: d.active,
    created_at: Math.floor(d.createdAt / 1000),
    updated_at: Math.floor(d.updatedAt / 1000),
    name: found ? found.component.name : d.componentKey,
    name_slug: d.componentKey,
    type: "DeployedComponent",
    webhook_signing_key: d.signingKey,
  };
}

export function createApi({ db, clock, deliveries }: ApiDeps): Hono<SandboxEnv> {
  const api = new Hono<SandboxEnv>();

  /** The per-call context components run with. */
  function ctx(externalUserId: string, configured: Record<string, unknown>, os: Observation[]): Ctx {
    const now = clock.now();
    return {
      db,
      now,
      externalUserId,
      log: (msg) => os.push({ ts: clock.now(), k: "console.log", msg }),
      async account(propName) {
        const ref = configured[propName] as { authProvisionId?: unknown } | undefined;
        const id = ref && typeof ref === "object" ? ref.authProvisionId : undefined;
        if (typeof id !== "string") throw new PropError(`${propName}: connect an account first`);
        const a = await findAccount(db, id);
        if (!a || a.externalUserId !== externalUserId) {
          throw new PropError(`${propName}: account ${id} not found`);
        }
        return a;
      },
      async emit(componentKey, match, event, summary) {
        const targets = (await listDeployments(db, { externalUserId, componentKey, activeOnly: true }))
          .filter((d) => match(d.configuredProps));
        for (const d of targets) await emitEvent(db, deliveries, d, event, summary, clock.now());
        return targets.length;
      },
    };
  }

  // ---------------------------------------------------------------- tokens

  api.get("/v1/connect/tokens/:token/validate", async (c) => {
    const t = await findConnectToken(db, c.req.param("token"));
    const appSlug = c.req.query("app_id");
    const app = appSlug ? findApp(appSlug) : undefined;
    const base = c.get("base");
    if (!t || t.expiresAt <= clock.now()) {
      return c.json({ success: false, error: t ? "Connect token expired" : "Invalid connect token" });
    }
    if (t.usedAt !== null) return c.json({ success: false, error: "This connect token was already used" });
    return c.json({
      success: true,
      ...(app ? { app: wireApp(app, base) } : {}),
      project_id: SANDBOX_CREDENTIALS.projectId,
      project_environment: "development",
      project_app_name: "pipedream-connect (sandbox)",
      ...(t.successRedirectUri ? { success_redirect_uri: t.successRedirectUri } : {}),
      ...(t.errorRedirectUri ? { error_redirect_uri: t.errorRedirectUri } : {}),
    });
  });

  api.use("/v1/connect/*", authenticate(db, clock));

  api.post("/v1/connect/tokens", async (c) => {
    const denied = serverOnly(c);
    if (denied) return denied;
    const b = await body(
      c,
      z.object({
        external_user_id: z.string().min(1).max(250),
        allowed_origins: z.array(z.string().url()).max(20).optional(),
        webhook_uri: z.string().url().optional(),
        success_redirect_uri: z.string().url().optional(),
        error_redirect_uri: z.string().url().optional(),
        expires_in: z.number().int().min(60).max(TOKEN_TTL_SECONDS).optional(),
      }).passthrough(),
    );
    if (isResponse(b)) return b;
    const token = `ctok_${randomToken(24).replace(/[-_]/g, "0")}`;
    const expiresAt = clock.now() + (b.expires_in ?? TOKEN_TTL_SECONDS) * 1000;
    await insertConnectToken(db, {
      token,
      externalUserId: b.external_user_id,
      expiresAt,
      allowedOrigins: b.allowed_origins ?? [],
      webhookUri: b.webhook_uri ?? null,
      successRedirectUri: b.success_redirect_uri ?? null,
      errorRedirectUri: b.error_redirect_uri ?? null,
      usedAt: null,
    });
    return c.json({
      token,
      expires_at: new Date(expiresAt).toISOString(),
      connect_link_url: `${c.get("base")}/_static/connect.html?token=${token}&connectLink=true`,
    });
  });

  // ---------------------------------------------------------------- accounts

  api.get("/v1/connect/accounts", async (c) => {
    const q = query(
      c,
      z.object({
        external_user_id: z.string().optional(),
        app: z.string().optional(),
        include_credentials: z.enum(["true", "false"]).optional(),
        after: z.string().optional(),
        limit: Limit,
      }).passthrough(),
    );
    if (isResponse(q)) return q;
    const user = actingUser(c, q.external_user_id);
    const withCredentials = q.include_credentials === "true" && c.get("caller").kind === "server";
    const rows = await listAccounts(db, { externalUserId: user, app: q.app });
    const page = paginate(rows, q.after, q.limit);
    return c.json({
      data: page.data.map((a) => wireAccount(a, findApp(a.app), c.get("base"), withCredentials)),
      page_info: page.page_info,
    });
  });

  /** An account visible to this caller: a browser sees only its user's. */
  async function visibleAccount(c: Context<SandboxEnv>, id: string) {
    const a = await findAccount(db, id);
    const caller: Caller = c.get("caller");
    if (!a || (caller.kind === "browser" && a.externalUserId !== caller.token.externalUserId)) {
      return undefined;
    }
    return a;
  }

  api.get("/v1/connect/accounts/:id", async (c) => {
    const a = await visibleAccount(c, c.req.param("id"));
    if (!a) return pdError(c, 404, "Account not found", "not_found");
    const withCredentials = c.req.query("include_credentials") === "true" &&
      c.get("caller").kind === "server";
    return c.json(wireAccount(a, findApp(a.app), c.get("base"), withCredentials));
  });

  api.delete("/v1/connect/accounts/:id", async (c) => {
    const a = await visibleAccount(c, c.req.param("id"));
    if (!a) return pdError(c, 404, "Account not found", "not_found");
    await deleteAccounts(db, { id: a.id });
    return c.body(null, 204);
  });

  api.delete("/v1/connect/apps/:app/accounts", async (c) => {
    const denied = serverOnly(c);
    if (denied) return denied;
    await deleteAccounts(db, { app: c.req.param("app") });
    return c.body(null, 204);
  });

  api.delete("/v1/connect/users/:user", async (c) => {
    const denied = serverOnly(c);
    if (denied) return denied;
    const user = c.req.param("user");
    await deleteAccounts(db, { externalUserId: user });
    for (const d of await listDeployments(db, { externalUserId: user })) await deleteDeployment(db, d.id);
    return c.body(null, 204);
  });

  // ---------------------------------------------------------------- apps

  api.get("/v1/connect/apps", (c) => {
    const q = query(
      c,
      z.object({ q: z.string().max(200).optional(), after: z.string().optional(), limit: Limit })
        .passthrough(),
    );
    if (isResponse(q)) return q;
    const needle = q.q?.toLowerCase().trim();
    const apps = APPS.filter((a) =>
      !needle || a.slug.includes(needle) || a.name.toLowerCase().includes(needle)
    );
    const page = paginate(apps, q.after, q.limit);
    return c.json({ data: page.data.map((a) => wireApp(a, c.get("base"))), page_info: page.page_info });
  });

  api.get("/v1/connect/apps/:app", (c) => {
    const app = findApp(c.req.param("app"));
    if (!app) return pdError(c, 404, `App ${c.req.param("app")} not found`, "not_found");
    return c.json({ data: wireApp(app, c.get("base")) });
  });

  // ---------------------------------------------------------------- components

  for (const kind of ["components", "actions", "triggers"] as const) {
    const typeFilter = kind === "actions" ? "action" : kind === "triggers" ? "trigger" : undefined;
    const lookup = (key: string) => {
      const found = findComponent(key);
      return found && (!typeFilter || found.component.type === typeFilter) ? found : undefined;
    };
    /** The component a form call (configure, props) names, and the user it acts for. */
    const resolveFormCall = (c: Context<SandboxEnv>, b: z.infer<typeof FormCall>) => {
      const found = lookup(b.id);
      if (!found) return pdError(c, 404, `Component ${b.id} not found`, "not_found");
      const user = actingUser(c, b.external_user_id);
      if (!user) return pdError(c, 400, "external_user_id is required", "bad_request");
      return { found, user };
    };

    api.get(`/v1/connect/${kind}`, (c) => {
      const q = query(
        c,
        z.object({
          app: z.string().optional(),
          q: z.string().max(200).optional(),
          component_type: z.enum(["action", "trigger"]).optional(),
          after: z.string().optional(),
          limit: Limit,
        }).passthrough(),
      );
      if (isResponse(q)) return q;
      const wanted = typeFilter ?? q.component_type;
      const needle = q.q?.toLowerCase();
      const list = APPS.filter((a) => !q.app || a.slug === q.app)
        .flatMap((a) => a.components)
        .filter((cd) => !wanted || cd.type === wanted)
        .filter((cd) => !needle || cd.name.toLowerCase().includes(needle) || cd.key.includes(needle));
      const page = paginate(list, q.after, q.limit);
      return c.json({ data: page.data.map((cd) => wireComponent(cd)), page_info: page.page_info });
    });

    api.get(`/v1/connect/${kind}/:key`, (c) => {
      const found = lookup(c.req.param("key"));
      if (!found) return pdError(c, 404, `Component ${c.req.param("key")} not found`, "not_found");
      return c.json({ data: wireComponent(found.component) });
    });

    api.post(`/v1/connect/${kind}/configure`, async (c) => {
      const b = await body(
        c,
        FormCall.extend({
          prop_name: z.string().min(1),
          query: z.string().max(500).optional(),
          page: z.number().int().min(0).optional(),
        }),
      );
      if (isResponse(b)) return b;
      const target = resolveFormCall(c, b);
      if (isResponse(target)) return target;
      const { found, user } = target;
      const prop = found.component.props(b.configured_props).find((p) => p.name === b.prop_name);
      if (!prop) return pdError(c, 400, `Unknown prop ${b.prop_name}`, "bad_request");
      const os: Observation[] = [];
      if (!prop.remoteOptions || !found.component.options) {
        return c.json({
          options: [],
          errors: [`Prop ${b.prop_name} has no remote options`],
          observations: os,
        });
      }
      try {
        const options = (b.page ?? 0) > 0 ? [] : await found.component.options(
          ctx(user, b.configured_props, os),
          b.prop_name,
          b.configured_props,
          b.query,
        );
        return c.json({ options, context: { page: (b.page ?? 0) + 1 }, observations: os, errors: [] });
      } catch (err) {
        if (!(err instanceof PropError)) throw err;
        return c.json({ options: [], errors: [err.message], observations: os });
      }
    });

    api.post(`/v1/connect/${kind}/props`, async (c) => {
      const b = await body(c, FormCall);
      if (isResponse(b)) return b;
      const target = resolveFormCall(c, b);
      if (isResponse(target)) return target;
      const { found, user } = target;
      const id = newId("dyp_");
      await db.execute({
        sql:
          `INSERT INTO sandbox_dynamic_props (id, component_key, external_user_id, configured_props, created_at)
          VALUES (?, ?, ?, ?, ?)`,
        args: [id, b.id, user, JSON.stringify(b.configured_props), clock.now()],
      });
      // camelCase on the wire: the SDK's ReloadPropsResponse maps no snake_case names here.
      return c.json({
        dynamicProps: { id, configurableProps: found.component.props(b.configured_props) },
        observations: [],
        errors: [],
      });
    });
  }

  // ---------------------------------------------------------------- run and deploy

  const RunBody = z.object({
    id: z.string().min(1),
    external_user_id: z.string().min(1),
    configured_props: Props,
    dynamic_props_id: z.string().optional(),
    stash_id: z.union([z.string(), z.boolean()]).nullable().optional(),
  }).passthrough();

  async function checkDynamicProps(
    id: string | undefined,
    key: string,
    user: string,
  ): Promise<string | undefined> {
    if (!id) return undefined;
    const rs = await db.execute({
      sql: "SELECT 1 FROM sandbox_dynamic_props WHERE id = ? AND component_key = ? AND external_user_id = ?",
      args: [id, key, user],
    });
    return rs.rows.length ? undefined : `dynamic_props_id ${id} not found for ${key}`;
  }

  function missingRequired(cd: ComponentDef, props: Record<string, unknown>): string | undefined {
    const missing = cd.props(props)
      .filter((p) => !p.optional && p.type !== "alert" && !p.type.startsWith("$.") && p.default === undefined)
      .filter((p) => props[p.name] === undefined || props[p.name] === "")
      .map((p) => p.name);
    return missing.length ? `Missing required props: ${missing.join(", ")}` : undefined;
  }

  api.post("/v1/connect/actions/run", async (c) => {
    const denied = serverOnly(c);
    if (denied) return denied;
    const b = await body(c, RunBody);
    if (isResponse(b)) return b;
    const found = findComponent(b.id);
    if (!found || found.component.type !== "action" || !found.component.run) {
      return pdError(c, 404, `Action ${b.id} not found`, "not_found");
    }
    const bad = await checkDynamicProps(b.dynamic_props_id, b.id, b.external_user_id) ??
      missingRequired(found.component, b.configured_props);
    if (bad) return pdError(c, 400, bad, "bad_request");
    const os: Observation[] = [];
    try {
      const result = await found.component.run(
        ctx(b.external_user_id, b.configured_props, os),
        b.configured_props,
      );
      return c.json({
        exports: { $summary: result.summary, ...result.exports },
        os,
        ret: result.ret,
        stash_id: b.stash_id === true ? newId("stash_") : null,
      });
    } catch (err) {
      if (!(err instanceof PropError)) throw err;
      os.push({ ts: clock.now(), k: "error", err: { name: "Error", message: err.message } });
      return c.json({ exports: {}, os, ret: null, stash_id: null, error: err.message }, 400);
    }
  });

  api.post("/v1/connect/triggers/deploy", async (c) => {
    const denied = serverOnly(c);
    if (denied) return denied;
    const b = await body(
      c,
      RunBody.extend({ webhook_url: z.string().url().optional(), emit_on_deploy: z.boolean().optional() }),
    );
    if (isResponse(b)) return b;
    const found = findComponent(b.id);
    if (!found || found.component.type !== "trigger") {
      return pdError(c, 404, `Trigger ${b.id} not found`, "not_found");
    }
    const bad = await checkDynamicProps(b.dynamic_props_id, b.id, b.external_user_id) ??
      missingRequired(found.component, b.configured_props);
    if (bad) return pdError(c, 400, bad, "bad_request");
    try {
      const appProp = found.component.props(b.configured_props).find((p) => p.type === "app");
      if (appProp) await ctx(b.external_user_id, b.configured_props, []).account(appProp.name);
    } catch (err) {
      if (!(err instanceof PropError)) throw err;
      return pdError(c, 400, err.message, "bad_request");
    }
    const now = clock.now();
    const d: Deployment = {
      id: newId("dc_"),
      externalUserId: b.external_user_id,
      componentKey: b.id,
      configuredProps: b.configured_props,
      dynamicPropsId: b.dynamic_props_id ?? null,
      webhookUrl: b.webhook_url ?? null,
      webhookId: newId("hook_"),
      signingKey: `sbx_sec_${randomToken(24).replace(/[-_]/g, "0")}`,
      active: true,
      createdAt: now,
      updatedAt: now,
      lastTimerAt: now,
    };
    await insertDeployment(db, d);
    return c.json({ data: wireDeployment(d) });
  });

  // ---------------------------------------------------------------- deployed triggers

  async function ownedDeployment(c: Context<SandboxEnv>): Promise<Deployment | Response> {
    const user = c.req.query("external_user_id");
    if (!user) return pdError(c, 400, "external_user_id is required", "bad_request");
    const d = await findDeployment(db, c.req.param("id")!);
    if (!d || d.externalUserId !== user) return pdError(c, 404, "Deployed trigger not found", "not_found");
    return d;
  }

  api.use("/v1/connect/deployed-triggers/*", async (c, next) => serverOnly(c) ?? await next());
  api.use("/v1/connect/deployed-triggers", async (c, next) => serverOnly(c) ?? await next());

  api.get("/v1/connect/deployed-triggers", async (c) => {
    const q = query(
      c,
      z.object({ external_user_id: z.string().min(1), after: z.string().optional(), limit: Limit })
        .passthrough(),
    );
    if (isResponse(q)) return q;
    const page = paginate(
      await listDeployments(db, { externalUserId: q.external_user_id }),
      q.after,
      q.limit,
    );
    return c.json({ data: page.data.map(wireDeployment), page_info: page.page_info });
  });

  api.get("/v1/connect/deployed-triggers/:id", async (c) => {
    const d = await ownedDeployment(c);
    return isResponse(d) ? d : c.json({ data: wireDeployment(d) });
  });

  api.put("/v1/connect/deployed-triggers/:id", async (c) => {
    const d = await ownedDeployment(c);
    if (isResponse(d)) return d;
    const b = await body(
      c,
      z.object({
        active: z.boolean().optional(),
        configured_props: z.record(z.string(), z.unknown()).optional(),
        name: z.string().optional(),
      }).passthrough(),
    );
    if (isResponse(b)) return b;
    const next = await updateDeployment(db, d.id, {
      ...(b.active !== undefined ? { active: b.active } : {}),
      ...(b.configured_props ? { configuredProps: b.configured_props } : {}),
    }, clock.now());
    return c.json({ data: wireDeployment(next!) });
  });

  api.delete("/v1/connect/deployed-triggers/:id", async (c) => {
    const d = await ownedDeployment(c);
    if (isResponse(d)) return d;
    await deleteDeployment(db, d.id);
    return c.body(null, 204);
  });

  api.get("/v1/connect/deployed-triggers/:id/events", async (c) => {
    const d = await ownedDeployment(c);
    if (isResponse(d)) return d;
    const n = Math.min(100, Math.max(1, Number(c.req.query("n") ?? "20") || 20));
    const rs = await db.execute({
      sql:
        "SELECT id, ts, k, e, sum FROM sandbox_events WHERE deployment_id = ? ORDER BY ts DESC, id DESC LIMIT ?",
      args: [d.id, n],
    });
    return c.json({
      data: rs.rows.map((r) => ({
        id: String(r.id),
        ts: Number(r.ts),
        k: String(r.k),
        e: JSON.parse(String(r.e)),
        ...(r.sum == null ? {} : { sum: String(r.sum) }),
      })),
    });
  });

  const webhookView = (d: Deployment) => ({
    webhook_urls: d.webhookUrl ? [d.webhookUrl] : [],
    webhooks: d.webhookUrl
      ? [{ id: d.webhookId, url: d.webhookUrl, signing_key: d.signingKey, signing_key_set: true }]
      : [],
  });

  api.get("/v1/connect/deployed-triggers/:id/webhooks", async (c) => {
    const d = await ownedDeployment(c);
    return isResponse(d) ? d : c.json(webhookView(d));
  });

  api.put("/v1/connect/deployed-triggers/:id/webhooks", async (c) => {
    const d = await ownedDeployment(c);
    if (isResponse(d)) return d;
    const b = await body(c, z.object({ webhook_urls: z.array(z.string().url()).max(1) }).passthrough());
    if (isResponse(b)) return b;
    const next = await updateDeployment(db, d.id, { webhookUrl: b.webhook_urls[0] ?? null }, clock.now());
    return c.json(webhookView(next!));
  });

  api.post("/v1/connect/deployed-triggers/:id/webhooks/:hook/regenerate_signing_key", async (c) => {
    const d = await ownedDeployment(c);
    if (isResponse(d)) return d;
    if (c.req.param("hook") !== d.webhookId) return pdError(c, 404, "Webhook not found", "not_found");
    const signingKey = `sbx_sec_${randomToken(24).replace(/[-_]/g, "0")}`;
    const next = await updateDeployment(db, d.id, { signingKey }, clock.now());
    const now = Math.floor(clock.now() / 1000);
    return c.json({
      data: {
        id: d.webhookId,
        url: next!.webhookUrl ?? "",
        signing_key: signingKey,
        signing_key_set: true,
        created_at: now,
        updated_at: now,
      },
    });
  });

  // ---------------------------------------------------------------- project webhook (Connect events)

  const projectWebhook = async (rotate: boolean) => {
    const key = rotate
      ? `sbx_sec_${randomToken(24).replace(/[-_]/g, "0")}`
      : await getSetting(db, "project_webhook_signing_key", () =>
        `sbx_sec_${randomToken(24).replace(/[-_]/g, "0")}`);
    if (rotate) await setSetting(db, "project_webhook_signing_key", key);
    const now = Math.floor(clock.now() / 1000);
    return {
      id: "hook_project",
      url: "",
      signing_key: key,
      signing_key_set: true,
      created_at: now,
      updated_at: now,
    };
  };

  api.get("/v1/connect/webhook", async (c) => {
    const denied = serverOnly(c);
    if (denied) return denied;
    const { signing_key: _k, ...hook } = await projectWebhook(false);
    return c.json({ data: hook });
  });

  api.post("/v1/connect/webhook/regenerate_signing_key", async (c) => {
    const denied = serverOnly(c);
    if (denied) return denied;
    return c.json({ data: await projectWebhook(true) });
  });

  api.get("/v1/connect/projects/info", (c) => {
    const denied = serverOnly(c);
    if (denied) return denied;
    return c.json({ apps: APPS.map((a) => ({ id: `app_sbx_${a.slug}`, name_slug: a.slug })) });
  });

  // ---------------------------------------------------------------- proxy

  api.all("/v1/connect/proxy/:url64", async (c) => {
    const denied = serverOnly(c);
    if (denied) return denied;
    const q = query(
      c,
      z.object({ external_user_id: z.string().min(1), account_id: z.string().min(1) }).passthrough(),
    );
    if (isResponse(q)) return q;
    const a = await findAccount(db, q.account_id);
    if (!a || a.externalUserId !== q.external_user_id) {
      return pdError(c, 404, "Account not found", "not_found");
    }
    const app = findApp(a.app)!;
    let target: URL;
    try {
      const raw = decodeURIComponent(c.req.param("url64")).replace(/-/g, "+").replace(/_/g, "/");
      const decoded = new TextDecoder().decode(Uint8Array.from(atob(raw), (ch) => ch.charCodeAt(0)));
      target = new URL(decoded, app.apiBase + "/");
      if (decoded.startsWith("/")) target = new URL(app.apiBase + decoded);
    } catch {
      return pdError(c, 400, "The proxied URL is not valid base64 of a URL", "bad_request");
    }
    const base = new URL(app.apiBase);
    if (target.origin !== base.origin || !target.pathname.startsWith(base.pathname.replace(/\/$/, ""))) {
      return pdError(c, 400, `The proxy only reaches ${app.name}'s API at ${app.apiBase}`, "bad_request");
    }
    const path = target.pathname.slice(base.pathname.replace(/\/$/, "").length) || "/";
    let reqBody: unknown = undefined;
    if (!["GET", "DELETE", "HEAD"].includes(c.req.method)) {
      const text = await c.req.text();
      try {
        reqBody = text ? JSON.parse(text) : undefined;
      } catch {
        reqBody = text;
      }
    }
    const result = await app.api(ctx(a.externalUserId, {}, []), a, {
      method: c.req.method,
      path,
      query: target.searchParams,
      body: reqBody,
    });
    return c.json(result.body as object, result.status as 200);
  });

  api.all("/v1/*", (c) => pdError(c, 404, `No sandbox route for ${c.req.method} ${c.req.path}`, "not_found"));

  return api;
}
