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
  const token = await sandboxAccessToken(`${server.url}/sandbox`);
  const res = await fetch(`${server.url}/sandbox/admin/faults`, {
    method: spec ? "POST" : "DELETE",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(spec ? { body: JSON.stringify(spec) } : {}),
  });
  if (!res.ok) throw new Error(`fault switch: ${res.status}`);
  await res.body?.cancel();
}

/**
 * Pipedream answers the sandbox does not give by itself, as its OpenAPI
 * document describes them, made from the sandbox's own answers: a failed run
 * as 200 with its `k: "error"` observations (the sandbox answers 400), or any
 * run as `202` with no body (accepted, result pending).
 */
export function answerAsLive(runs: "failed-as-200" | "accepted"): (inner: typeof fetch) => typeof fetch {
  return (inner) => async (input, init) => {
    const req = new Request(input, init);
    const res = await inner(req);
    if (req.method !== "POST" || !new URL(req.url).pathname.endsWith("/actions/run")) return res;
    if (runs === "accepted") {
      await res.body?.cancel();
      return new Response(null, { status: 202 });
    }
    if (res.status !== 400) return res;
    const { error: _e, ...body } = await res.json();
    return Response.json(body, { status: 200 });
  };
}

export { startTestServer, TestBrowser };
