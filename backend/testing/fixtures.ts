/**
 * Shared steps for API tests: a server per test, and a user who connected an
 * account the way a browser does (token from the app, Connect page at the sandbox).
 */
import { equal } from "node:assert/strict";
import type { ConnectTokenResponse } from "../../shared/api.ts";
import { connectAccountViaSandbox, sandboxAccessToken } from "../sandbox/testing.ts";
import { startTestServer, TestBrowser, type TestServer, type TestServerOptions } from "./harness.ts";

export async function withServer(
  fn: (server: TestServer) => Promise<void>,
  opts: TestServerOptions = {},
): Promise<void> {
  const server = await startTestServer(opts);
  try {
    await fn(server);
  } finally {
    await server.close();
  }
}

export async function connectAccount(
  browser: TestBrowser,
  server: TestServer,
  app: string,
  opts: { apiKey?: string } = {},
): Promise<string> {
  const { status, body } = await browser.json<ConnectTokenResponse>("/api/connect/token", {
    json: { fresh: true },
  });
  equal(status, 200);
  const result = await connectAccountViaSandbox(`${server.url}/sandbox`, body.token, app, opts);
  if (!result.accountId) throw new Error(`connecting ${app} failed: ${result.error}`);
  return result.accountId;
}

/** Sets (or, with null, clears) a sandbox fault: see reference/sandbox.md, "Faults on demand". */
export async function fault(server: TestServer, spec: Record<string, unknown> | null): Promise<void> {
  await admin(server, "faults", spec);
}

/** A sandbox switch, through its admin route with the server's token, as a developer would set it. */
async function admin(server: TestServer, what: "faults" | "answers", spec: Record<string, unknown> | null) {
  const token = await sandboxAccessToken(`${server.url}/sandbox`);
  const res = await fetch(`${server.url}/sandbox/admin/${what}`, {
    method: spec ? "POST" : "DELETE",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(spec ? { body: JSON.stringify(spec) } : {}),
  });
  if (!res.ok) throw new Error(`${what} switch: ${res.status} ${await res.text()}`);
  await res.body?.cancel();
}

/**
 * Sets (or, with null, clears) a sandbox answer switch: a component's run
 * answered as failed (200 with a `k: "error"` observation) or any of its
 * calls as `202` with no body. See reference/sandbox.md, "Answers on demand".
 */
export async function answer(server: TestServer, spec: Record<string, unknown> | null): Promise<void> {
  await admin(server, "answers", spec);
}

/** Rows in every table: what "this wrote nothing" is checked against. */
export async function countAllRows(server: Pick<TestServer, "db">): Promise<number> {
  const tables = (await server.db.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
  )).rows.map((r) => String(r.name));
  let n = 0;
  for (const t of tables) {
    n += Number((await server.db.execute(`SELECT COUNT(*) AS n FROM "${t}"`)).rows[0].n);
  }
  return n;
}

export { startTestServer, TestBrowser };
