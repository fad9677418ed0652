/**
 * The sandbox: a local, contract-faithful emulator of the Pipedream Connect
 * API. Mounted by the app at /sandbox when no credentials are set, or served
 * on its own port. State lives in the app's database (`sandbox_` tables).
 */
import { Hono } from "hono";
import { z } from "zod";
import type { Db } from "../database/db.ts";
import type { Migration } from "../database/migrate.ts";
import { type Clock, systemClock } from "../lib/clock.ts";
import { randomToken, timingSafeEqualString } from "../lib/crypto.ts";
import { createApi } from "./api.ts";
import { authenticate, pdError, type SandboxEnv, serverOnly } from "./auth.ts";
import { APPS, findApp, findComponent } from "./catalog/index.ts";
import type { Observation } from "./catalog/types.ts";
import { completeConnection } from "./connect_flow.ts";
import { CONNECT_CSS, CONNECT_HTML, CONNECT_JS } from "./connect_page.ts";
import { SANDBOX_CREDENTIALS } from "./credentials.ts";
import { Deliveries } from "./deliveries.ts";
import { emitEvent } from "./emitter.ts";
import { Faults, FaultSpec } from "./faults.ts";
import { sandboxMigrations as schemaMigrations } from "./schema.ts";
import { listDeployments, updateDeployment } from "./store.ts";
import { iconSvg } from "./wire.ts";

export type SandboxOptions = {
  db: Db;
  clock?: Clock;
  /** Used for webhook deliveries (trigger events, Connect webhooks). */
  fetch?: typeof fetch;
  /** "/sandbox" when mounted in the app (default), "" when served standalone. */
  mountPath?: string;
  /** Backoff schedule for failed deliveries. */
  deliveryRetryDelaysMs?: number[];
  /** How often background work (deliveries due for retry, timer triggers) runs. */
  tickMs?: number;
  /**
   * The client secret its OAuth endpoint accepts. The app passes one generated
   * per installation, so a public sandbox-mode deployment does not hand
   * server access (every user's sandbox data) to anyone who reads this code;
   * standalone sandboxes (tests) default to the well-known one.
   */
  clientSecret?: string;
};

export type Sandbox = {
  app: Hono;
  migrations: Migration[];
  start(): void;
  close(): Promise<void>;
  flushDeliveries(): Promise<void>;
  /** Runs every timer trigger that is due now (tests call it instead of waiting). */
  runTimers(): Promise<void>;
  faults: Faults;
};

const RESOURCES = new Set([
  "tokens",
  "accounts",
  "apps",
  "components",
  "actions",
  "triggers",
  "deployed-triggers",
  "users",
  "proxy",
  "webhook",
  "projects",
]);

/**
 * Strips the project segment: the server SDK calls `/v1/connect/{project}/x`,
 * the browser SDK (whose project id is empty) `/v1/connect//x`.
 * Returns undefined for another project's id.
 */
export function normalizePath(path: string): string | undefined {
  const m = path.match(/^\/v1\/connect\/([^/]*)(\/.*)?$/);
  if (!m) return path;
  const [, first, rest = ""] = m;
  if (RESOURCES.has(first)) return path;
  if (first === "" || first === SANDBOX_CREDENTIALS.projectId) return `/v1/connect${rest}`;
  return undefined;
}

export function createSandbox(opts: SandboxOptions): Sandbox {
  const db = opts.db;
  const clock = opts.clock ?? systemClock;
  const mountPath = opts.mountPath ?? "/sandbox";
  const deliveries = new Deliveries(
    db,
    clock,
    opts.fetch ?? ((input, init) => fetch(input, init)),
    opts.deliveryRetryDelaysMs ?? [1000, 2000, 4000, 8000, 16000, 32000, 64000],
  );
  const faults = new Faults();
  const inner = new Hono<SandboxEnv>();

  inner.use(async (c, next) => {
    c.set("base", (c.env as { base?: string } | undefined)?.base ?? new URL(c.req.url).origin);
    await next();
  });

  inner.onError((err, c) => {
    console.error("sandbox error", c.req.method, c.req.path, err);
    return pdError(c, 500, "Internal sandbox error", "internal");
  });

  // Faults apply before anything else, as an overloaded upstream would.
  inner.use("/v1/*", async (c, next) => {
    const f = faults.take(c.req.method, c.req.path);
    if (!f) return next();
    if (f.delayMs) await new Promise((r) => setTimeout(r, f.delayMs));
    if (!f.status) return next();
    if (f.retryAfter !== undefined) c.header("Retry-After", String(f.retryAfter));
    return pdError(
      c,
      f.status,
      f.status === 429 ? "Rate limit exceeded" : "Upstream failure (sandbox fault)",
    );
  });

  inner.post("/v1/oauth/token", async (c) => {
    let b: Record<string, unknown> = {};
    try {
      const type = c.req.header("content-type") ?? "";
      b = type.includes("application/x-www-form-urlencoded")
        ? Object.fromEntries(new URLSearchParams(await c.req.text()))
        : await c.req.json();
    } catch {
      return pdError(c, 400, "Request body is not valid JSON", "invalid_request");
    }
    if (b.grant_type !== "client_credentials") {
      return pdError(c, 400, "grant_type must be client_credentials", "unsupported_grant_type");
    }
    const ok = typeof b.client_id === "string" && typeof b.client_secret === "string" &&
      timingSafeEqualString(b.client_id, SANDBOX_CREDENTIALS.clientId) &&
      timingSafeEqualString(b.client_secret, opts.clientSecret ?? SANDBOX_CREDENTIALS.clientSecret);
    if (!ok) return pdError(c, 401, "Invalid client credentials", "invalid_client");
    const token = `sbx_oat_${randomToken(24)}`;
    await db.batch([
      { sql: "DELETE FROM sandbox_oauth_tokens WHERE expires_at < ?", args: [clock.now()] },
      {
        sql: "INSERT INTO sandbox_oauth_tokens (token, expires_at) VALUES (?, ?)",
        args: [token, clock.now() + 3600_000],
      },
    ], "write");
    return c.json({ access_token: token, token_type: "Bearer", expires_in: 3600 });
  });

  // ---- the Connect page and its static files
  const page =
    (body: string, type: string) =>
    (c: { body: (b: string, s: 200, h: Record<string, string>) => Response }) =>
      c.body(body, 200, {
        "content-type": type,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      });
  inner.get("/_static/connect.html", (c) => {
    c.header("content-security-policy", "default-src 'self'; img-src 'self' data:; frame-ancestors *");
    c.header("referrer-policy", "no-referrer");
    return page(CONNECT_HTML, "text/html; charset=utf-8")(c);
  });
  inner.get("/_static/connect.js", (c) => page(CONNECT_JS, "text/javascript; charset=utf-8")(c));
  inner.get("/_static/connect.css", (c) => page(CONNECT_CSS, "text/css; charset=utf-8")(c));
  inner.get("/_static/icons/:file", (c) => {
    const app = findApp(c.req.param("file").replace(/\.svg$/, ""));
    if (!app) return pdError(c, 404, "No such icon", "not_found");
    return c.body(iconSvg(app), 200, {
      "content-type": "image/svg+xml",
      "cache-control": "public, max-age=86400",
    });
  });

  const AuthorizeBody = z.object({
    token: z.string().min(1).max(200),
    app: z.string().min(1).max(100),
    decision: z.enum(["approve", "deny"]),
    fields: z.record(z.string().max(100), z.string().max(1000)).optional(),
  }).strict();
  inner.post("/_static/connect/authorize", async (c) => {
    let parsed;
    try {
      parsed = AuthorizeBody.safeParse(await c.req.json());
    } catch {
      return pdError(c, 400, "Request body is not valid JSON", "bad_request");
    }
    if (!parsed.success) return pdError(c, 400, parsed.error.issues[0].message, "bad_request");
    const result = await completeConnection({ db, clock, deliveries }, {
      ...parsed.data,
      base: c.get("base"),
    });
    if (result.ok) return c.json({ accountId: result.accountId, redirect: result.redirect });
    return c.json({ error: result.error, redirect: result.redirect }, result.status as 400);
  });

  // ---- faults (sandbox only: the sandbox exists only in sandbox mode)
  inner.use("/admin/*", authenticate(db, clock));
  inner.use("/admin/*", async (c, next) => serverOnly(c) ?? await next());
  inner.get("/admin/faults", (c) => c.json({ data: faults.list() }));
  inner.post("/admin/faults", async (c) => {
    let parsed;
    try {
      parsed = FaultSpec.safeParse(await c.req.json());
    } catch {
      return pdError(c, 400, "Request body is not valid JSON", "bad_request");
    }
    if (!parsed.success) return pdError(c, 400, parsed.error.issues[0].message, "bad_request");
    faults.add(parsed.data);
    return c.json({ data: faults.list() }, 201);
  });
  inner.delete("/admin/faults", (c) => {
    faults.clear();
    return c.body(null, 204);
  });

  inner.route("/", createApi({ db, clock, deliveries }));
  inner.all("*", (c) => pdError(c, 404, `No sandbox route for ${c.req.method} ${c.req.path}`, "not_found"));

  // The outer app fixes up paths, then hands over with the public base URL
  // (links the sandbox returns must point at where it is mounted).
  const app = new Hono();
  app.all("*", (c) => {
    const url = new URL(c.req.url);
    let path = url.pathname;
    if (mountPath && path.startsWith(mountPath)) path = path.slice(mountPath.length) || "/";
    const normalized = normalizePath(path.replace(/\/{3,}/g, "//"));
    if (normalized === undefined) return c.json({ error: "Project not found", code: "not_found" }, 404);
    url.pathname = normalized;
    const base = `${new URL(c.req.url).origin}${mountPath}`;
    const env = { base };
    // Copy method, headers and body but not the signal: reading an incoming
    // request's signal opts Deno.serve into its legacy abort behaviour.
    const raw = c.req.raw;
    const init: RequestInit & { duplex?: "half" } = { method: raw.method, headers: raw.headers };
    if (raw.body) {
      init.body = raw.body;
      init.duplex = "half";
    }
    return inner.fetch(new Request(url, init), env);
  });

  let timer: ReturnType<typeof setInterval> | undefined;
  let tickRunning: Promise<void> | undefined;

  async function runTimers(): Promise<void> {
    const now = clock.now();
    for (const d of await listDeployments(db, { activeOnly: true })) {
      const found = findComponent(d.componentKey);
      const c = found?.component;
      if (!c?.onTimer || !c.timerIntervalSeconds) continue;
      const since = d.lastTimerAt ?? d.createdAt;
      if (now - since < c.timerIntervalSeconds(d.configuredProps) * 1000) continue;
      const os: Observation[] = [];
      const ctxLike = {
        db,
        now,
        externalUserId: d.externalUserId,
        log: (msg: string) => os.push({ ts: now, k: "console.log", msg }),
        account: () => Promise.reject(new Error("not available in timers")),
        emit: () => Promise.resolve(0),
      };
      const events = await c.onTimer(ctxLike, d.configuredProps, since);
      await updateDeployment(db, d.id, { lastTimerAt: now }, now);
      for (const e of events) await emitEvent(db, deliveries, d, e.event, e.summary, now);
    }
  }

  async function tick() {
    if (tickRunning) return;
    tickRunning = (async () => {
      try {
        await runTimers();
        await deliveries.kick();
      } catch (err) {
        console.error("sandbox background work failed:", (err as Error).message);
      } finally {
        tickRunning = undefined;
      }
    })();
    await tickRunning;
  }

  return {
    app,
    migrations: schemaMigrations,
    faults,
    start() {
      if (timer === undefined) timer = setInterval(tick, opts.tickMs ?? 500);
    },
    async close() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      await tickRunning;
      await deliveries.close();
    },
    flushDeliveries: () => deliveries.kick(),
    runTimers,
  };
}

export { APPS };
