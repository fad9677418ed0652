/**
 * Shared steps for API tests: a server per test, and a user who connected an
 * account the way a browser does (token from the app, Connect page at the sandbox).
 */
import { equal } from "node:assert/strict";
import type { ConnectTokenResponse } from "../../shared/api.ts";
import { connectAccountViaSandbox } from "../sandbox/testing.ts";
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

export { startTestServer, TestBrowser };
