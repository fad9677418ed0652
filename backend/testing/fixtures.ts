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
/** Rows per table, so a test that expects no write can say where one happened. */
export async function countAllRows(server: Pick<TestServer, "db">): Promise<Record<string, number>> {
  const tables = (await server.db.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  )).rows.map((r) => String(r.name));
  const counts: Record<string, number> = {};
  for (const t of tables) {
    counts[t] = Number((await server.db.execute(`SELECT COUNT(*) AS n FROM "${t}"`)).rows[0].n);
  }
  return counts;
}

/**
 * Row counts once the database has stopped changing (two reads 200 ms apart
 * agree): work a test started earlier, like a deployed trigger's first
 * events, may still be landing.
 */
export async function settledRowCounts(server: Pick<TestServer, "db">): Promise<Record<string, number>> {
  let last = await countAllRows(server);
  for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
    await new Promise((r) => setTimeout(r, 200));
    const now = await countAllRows(server);
    if (JSON.stringify(now) === JSON.stringify(last)) return now;
    last = now;
  }
  throw new Error(`the database kept changing for 10 s: ${JSON.stringify(last)}`);
}

export { startTestServer, TestBrowser };
