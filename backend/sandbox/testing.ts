import { PipedreamClient } from "@pipedream/sdk";
import { type Db, openDatabase } from "../database/db.ts";
import { migrate } from "../database/migrate.ts";
import { SANDBOX_CREDENTIALS } from "./credentials.ts";
import type { ProjectEnvironment } from "./environment.ts";
import { createSandbox, type Sandbox, type SandboxOptions } from "./mod.ts";
import { sandboxMigrations } from "./schema.ts";

export type StandaloneSandbox = { sandbox: Sandbox; db: Db; url: string; close(): Promise<void> };

/**
 * The sandbox on its own, with no app in front: on an in-memory database, on
 * a free loopback port (an API host, as api.pipedream.com is to the app in
 * live mode). For tests of the sandbox itself and of live mode.
 */
export async function standaloneSandbox(
  opts: Omit<SandboxOptions, "db" | "mountPath"> = {},
): Promise<StandaloneSandbox> {
  const db = await openDatabase(":memory:");
  await migrate(db, sandboxMigrations);
  const sandbox = createSandbox({ ...opts, db, mountPath: "" });
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, sandbox.app.fetch);
  return {
    sandbox,
    db,
    url: `http://127.0.0.1:${server.addr.port}`,
    async close() {
      await sandbox.close();
      await server.shutdown();
      db.close();
    },
  };
}

/**
 * For tests elsewhere: create an account over HTTP exactly as the Connect
 * page does when the user approves (or denies), without a browser; with
 * `accountId`, reconnect that account as `connectAccount({ accountId })` does.
 */
export async function connectAccountViaSandbox(
  baseUrl: string,
  token: string,
  app: string,
  opts: { apiKey?: string; fields?: Record<string, string>; deny?: boolean; accountId?: string } = {},
): Promise<{ accountId?: string; error?: string }> {
  const validate = await fetch(
    `${baseUrl}/v1/connect/tokens/${encodeURIComponent(token)}/validate?app_id=${app}`,
  );
  const info = await validate.json();
  if (!info.success) return { error: info.error };
  const res = await fetch(`${baseUrl}/_static/connect/authorize`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      token,
      app,
      decision: opts.deny ? "deny" : "approve",
      ...(opts.apiKey || opts.fields
        ? { fields: { ...opts.fields, ...(opts.apiKey ? { api_key: opts.apiKey } : {}) } }
        : {}),
      ...(opts.accountId ? { accountId: opts.accountId } : {}),
    }),
  });
  const data = await res.json();
  return res.ok ? { accountId: data.accountId } : { error: data.error };
}

/** A client-credentials token request, with the well-known sandbox client unless a secret is given. */
export function sandboxTokenRequest(clientSecret: string = SANDBOX_CREDENTIALS.clientSecret): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      grant_type: "client_credentials",
      client_id: SANDBOX_CREDENTIALS.clientId,
      client_secret: clientSecret,
    }),
  };
}

/** A server access token from the sandbox at `baseUrl` (for routes a connect token may not call). */
export async function sandboxAccessToken(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/v1/oauth/token`, sandboxTokenRequest());
  if (!res.ok) throw new Error(`sandbox token request failed: ${res.status} ${await res.text()}`);
  return (await res.json()).access_token;
}

/** The real server SDK on a sandbox at `url`, in one project environment. */
export function sandboxServerClient(url: string, projectEnvironment: ProjectEnvironment): PipedreamClient {
  return new PipedreamClient({
    projectId: SANDBOX_CREDENTIALS.projectId,
    clientId: SANDBOX_CREDENTIALS.clientId,
    clientSecret: SANDBOX_CREDENTIALS.clientSecret,
    baseUrl: url,
    projectEnvironment,
  });
}
