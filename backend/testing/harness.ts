/**
 * A real app on a real port for tests: sandbox mode, an in-memory database,
 * and the server-side SDK talking to the sandbox over real HTTP (not the
 * in-process shortcut the runtime uses by default), so tests cross the same
 * wire a deployment does.
 */
import type { Db } from "../database/db.ts";
import type { Identify } from "../http/identity.ts";
import type { LimitOverrides } from "../http/rate_limit.ts";
import type { Clock } from "../lib/clock.ts";
import { createRuntime, type Runtime, type RuntimeOverrides } from "../runtime.ts";
import { SANDBOX_CREDENTIALS } from "../sandbox/credentials.ts";
import type { Sandbox } from "../sandbox/mod.ts";
import { type StandaloneSandbox, standaloneSandbox } from "../sandbox/testing.ts";

export type TestServer = {
  url: string;
  db: Db;
  sandbox: Sandbox;
  app: Runtime["app"];
  /** What the runtime runs at start and on its interval (tests call it instead of waiting). */
  recovery: Runtime["recovery"];
  /** The app's operational log lines (refused webhooks with their reason, recovery results). */
  logs: string[];
  housekeeping: Runtime["housekeeping"];
  /** Lets the sandbox deliver webhooks to another origin too (a gate in front of the app). */
  allowDeliveriesTo(origin: string): void;
  close(): Promise<void>;
};

export type TestServerOptions = {
  clock?: Clock;
  env?: Record<string, string>;
  limits?: LimitOverrides;
  /** Who is asking, when not the anonymous session. */
  identify?: Identify;
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  databaseUrl?: string;
  /** The server SDK's timeout (reliability tests shorten it). */
  pipedreamTimeoutSeconds?: number;
  /** The proxy's response size limit (default 10 MB). */
  maxProxyResponseBytes?: number;
  /** The sandbox's Connect proxy limits (default: 30 s, 10 MB). */
  sandboxProxyLimits?: RuntimeOverrides["sandboxProxyLimits"];
  bodyTimeouts?: { idleMs?: number; totalMs?: number };
  stream?: { pollMs?: number; heartbeatMs?: number; maxLifetimeMs?: number };
};

/**
 * A port nothing listens on now, for an app whose APP_URL must name its
 * address before it listens (live mode, Val Town).
 */
export function freePort(): number {
  const probe = Deno.listen({ port: 0, hostname: "127.0.0.1" });
  const { port } = probe.addr as Deno.NetAddr;
  probe.close();
  return port;
}

/**
 * The app in live mode, with `apiUrl` (a standalone sandbox) standing in for
 * api.pipedream.com, on a port of its own named by its APP_URL (live mode
 * requires one). Apps given one `databaseUrl` share their sessions.
 */
export function startLiveRuntime(
  apiUrl: string,
  opts: { environment?: "development" | "production"; databaseUrl?: string } = {},
): Promise<Runtime> {
  const port = freePort();
  return createRuntime({
    PIPEDREAM_CLIENT_ID: SANDBOX_CREDENTIALS.clientId,
    PIPEDREAM_CLIENT_SECRET: SANDBOX_CREDENTIALS.clientSecret,
    PIPEDREAM_PROJECT_ID: SANDBOX_CREDENTIALS.projectId,
    PIPEDREAM_PROJECT_ENVIRONMENT: opts.environment ?? "development",
    PIPEDREAM_API_HOST: apiUrl,
    APP_URL: `http://127.0.0.1:${port}`,
  }, { databaseUrl: opts.databaseUrl ?? ":memory:", port, log: () => {} });
}

/**
 * Two live apps, one per project environment, on one database (so one
 * browser session is the same external user in both), against one
 * standalone sandbox standing in for Pipedream. `close` ends all of it.
 */
export async function startLiveEnvironments(): Promise<{
  upstream: StandaloneSandbox;
  development: Runtime;
  production: Runtime;
  close(): Promise<void>;
}> {
  const upstream = await standaloneSandbox();
  const dir = await Deno.makeTempDir();
  const start = (environment: "development" | "production") =>
    startLiveRuntime(upstream.url, { environment, databaseUrl: `file:${dir}/app.db` });
  const development = await start("development");
  const production = await start("production");
  return {
    upstream,
    development,
    production,
    async close() {
      await production.close();
      await development.close();
      await upstream.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const logs: string[] = [];
  const deliveryOrigins: string[] = [];
  const runtime = await createRuntime(
    {
      // The well-known client, so tests can take the server's part (sandboxAccessToken).
      SANDBOX_CLIENT_SECRET: SANDBOX_CREDENTIALS.clientSecret,
      ...opts.env,
    },
    {
      databaseUrl: opts.databaseUrl ?? ":memory:",
      transport: { kind: "http" },
      clock: opts.clock,
      port: opts.port ?? 0,
      limits: opts.limits,
      identify: opts.identify,
      pipedreamTimeoutSeconds: opts.pipedreamTimeoutSeconds,
      maxProxyResponseBytes: opts.maxProxyResponseBytes,
      sandboxProxyLimits: opts.sandboxProxyLimits,
      bodyTimeouts: opts.bodyTimeouts,
      stream: opts.stream,
      sandboxDeliveryDelaysMs: [50, 100, 200, 400],
      extraDeliveryOrigins: () => deliveryOrigins,
      recoveryLoop: false,
      log: (line) => void logs.push(line),
    },
  );
  if (!runtime.sandbox) throw new Error("The test server runs in sandbox mode: set no PIPEDREAM_* variables");
  return {
    url: runtime.url!,
    db: runtime.db,
    sandbox: runtime.sandbox,
    app: runtime.app,
    recovery: runtime.recovery,
    logs,
    housekeeping: runtime.housekeeping,
    allowDeliveriesTo: (origin) => void deliveryOrigins.push(new URL(origin).origin),
    close: runtime.close,
  };
}

/**
 * A browser-like client: keeps its cookie and sends same-origin headers. Like
 * the frontend, it starts a session (`POST /api/session`) before its first
 * other API call, unless made with `{ session: false }`.
 */
export class TestBrowser {
  cookie = "";
  #autoSession: boolean;
  constructor(readonly baseUrl: string, opts: { session?: boolean } = {}) {
    this.#autoSession = opts.session ?? true;
  }

  /** Starts (or confirms) this browser's session; its external user id. */
  async startSession(): Promise<string> {
    const res = await this.json<{ externalUserId: string }>("/api/session", { json: {} });
    if (res.status !== 200) {
      throw new Error(`could not start a session: ${res.status} ${JSON.stringify(res.body)}`);
    }
    return res.body.externalUserId;
  }

  async fetch(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
    if (this.#autoSession && !this.cookie && path.startsWith("/api/") && !path.startsWith("/api/session")) {
      // Once: where sessions cannot be started (a login, a limit), the request goes on without one.
      this.#autoSession = false;
      await (await this.fetch("/api/session", { json: {} })).body?.cancel();
    }
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set("cookie", this.cookie);
    const method = (init.method ?? (init.json !== undefined ? "POST" : "GET")).toUpperCase();
    // An explicit empty Origin means "send none" (to test Sec-Fetch-Site alone).
    if (headers.get("origin") === "") headers.delete("origin");
    else if (method !== "GET" && !headers.has("origin")) headers.set("origin", this.baseUrl);
    let body = init.body;
    if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      if (!headers.has("content-type")) headers.set("content-type", "application/json");
    }
    const res = await fetch(this.baseUrl + path, { ...init, method, headers, body });
    // The session cookie (set at Path=/); cookies that clear planted ones are not it.
    for (const set of res.headers.getSetCookie()) {
      const [pair, ...attrs] = set.split(";").map((s) => s.trim());
      if (!attrs.some((a) => /^path=\/$/i.test(a))) continue;
      this.cookie = pair.endsWith("=") ? "" : pair;
    }
    return res;
  }

  async json<T = unknown>(
    path: string,
    init: RequestInit & { json?: unknown } = {},
  ): Promise<{ status: number; body: T }> {
    const res = await this.fetch(path, init);
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }
}
