/**
 * A real app on a real port for tests: sandbox mode, an in-memory database,
 * and the server-side SDK talking to the sandbox over real HTTP (not the
 * in-process shortcut the runtime uses), so tests cross the same wire a
 * deployment does.
 */
import { createApp } from "../app.ts";
import { loadConfig } from "../config.ts";
import { type Db, openDatabase } from "../database/db.ts";
import { migrate } from "../database/migrate.ts";
import { appMigrations } from "../database/migrations.ts";
import type { Limits } from "../http/rate_limit.ts";
import { type Clock, systemClock } from "../lib/clock.ts";
import { recordingFetch } from "../pipedream/call_recorder.ts";
import { createPipedreamClient } from "../pipedream/client.ts";
import { webhookMigrations } from "../webhooks/mod.ts";
import { createSandbox, type Sandbox } from "../sandbox/mod.ts";

export type TestServer = {
  url: string;
  db: Db;
  sandbox: Sandbox;
  app: ReturnType<typeof createApp>;
  close(): Promise<void>;
};

export type TestServerOptions = {
  clock?: Clock;
  env?: Record<string, string>;
  limits?: Partial<Limits>;
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  databaseUrl?: string;
  /** The server SDK's timeout (reliability tests shorten it). */
  pipedreamTimeoutSeconds?: number;
};

export const TEST_SESSION_SECRET = "test-session-secret-0123456789abcdef";

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const config = loadConfig({ SESSION_SECRET: TEST_SESSION_SECRET, ...opts.env });
  const db = await openDatabase(opts.databaseUrl ?? ":memory:");
  const sandbox = createSandbox({
    db,
    clock: opts.clock,
    mountPath: "/sandbox",
    deliveryRetryDelaysMs: [50, 100, 200, 400],
  });
  await migrate(db, [...appMigrations, ...webhookMigrations, ...sandbox.migrations]);
  let origin = "";
  const pipedream = createPipedreamClient({
    config,
    sandboxBaseUrl: () => `${origin}/sandbox`,
    timeoutInSeconds: opts.pipedreamTimeoutSeconds,
    fetch: recordingFetch(fetch, db, opts.clock ?? systemClock),
  });
  const app = createApp({
    config,
    db,
    clock: opts.clock,
    pipedream,
    sandbox,
    sessionSecret: config.sessionSecret!,
    limits: opts.limits,
  });
  const server = Deno.serve({ port: opts.port ?? 0, hostname: "127.0.0.1", onListen() {} }, app.fetch);
  origin = `http://127.0.0.1:${server.addr.port}`;
  sandbox.start();
  return {
    url: origin,
    db,
    sandbox,
    app,
    async close() {
      await sandbox.close();
      await server.shutdown();
      db.close();
    },
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
