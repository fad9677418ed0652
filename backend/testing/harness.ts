/**
 * A real app on a real port for tests: sandbox mode, an in-memory database,
 * and the server-side SDK talking to the sandbox over real HTTP (not the
 * in-process shortcut the runtime uses by default), so tests cross the same
 * wire a deployment does.
 */
import type { Db } from "../database/db.ts";
import type { Identify } from "../http/identity.ts";
import type { Limits } from "../http/rate_limit.ts";
import type { Clock } from "../lib/clock.ts";
import { createRuntime, type Runtime, type RuntimeOverrides } from "../runtime.ts";
import { SANDBOX_CREDENTIALS } from "../sandbox/credentials.ts";
import type { Sandbox } from "../sandbox/mod.ts";

export type TestServer = {
  url: string;
  db: Db;
  sandbox: Sandbox;
  app: Runtime["app"];
  /** What the runtime runs at start and on its interval (tests call it instead of waiting). */
  recovery: Runtime["recovery"];
  /** The app's operational log lines (refused webhooks with their reason, recovery results). */
  logs: string[];
  close(): Promise<void>;
};

export type TestServerOptions = {
  clock?: Clock;
  env?: Record<string, string>;
  limits?: Partial<Limits>;
  /** Who is asking, when not the anonymous cookie identity. */
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
};

export const TEST_SESSION_SECRET = "test-session-secret-0123456789abcdef";

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const logs: string[] = [];
  const runtime = await createRuntime(
    {
      SESSION_SECRET: TEST_SESSION_SECRET,
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
      sandboxDeliveryDelaysMs: [50, 100, 200, 400],
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
    close: runtime.close,
  };
}

/** A browser-like client: keeps its cookie and sends same-origin headers. */
export class TestBrowser {
  cookie = "";
  constructor(readonly baseUrl: string) {}

  async fetch(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
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
    const set = res.headers.get("set-cookie");
    if (set) this.cookie = set.split(";")[0];
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
