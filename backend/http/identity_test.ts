/**
 * Your own login instead of anonymous sessions: an `identify` given to the
 * runtime decides the user for the API, the page and Pipedream, and nobody
 * signed in gets a 401 (or the sign-in redirect identify asks for).
 */
import { equal, match } from "node:assert/strict";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { SessionResponse } from "../../shared/api.ts";
import { connectAccount, TestBrowser, withServer } from "../testing/fixtures.ts";
import type { Identity } from "./identity.ts";

/** A stand-in login: a reverse proxy that authenticated the user and says who it is. */
function proxyLogin(c: Context): Promise<Identity | undefined> {
  const user = c.req.header("x-authenticated-user");
  if (user === "send-me-to-sign-in") {
    throw new HTTPException(302, { res: c.redirect("/login") });
  }
  return Promise.resolve(user === undefined ? undefined : { externalUserId: user });
}

class SignedInBrowser extends TestBrowser {
  constructor(baseUrl: string, readonly user: string) {
    super(baseUrl);
  }
  override fetch(path: string, init: RequestInit & { json?: unknown } = {}) {
    const headers = new Headers(init.headers);
    headers.set("x-authenticated-user", this.user);
    return super.fetch(path, { ...init, headers });
  }
}

Deno.test("identify decides the user: the API, the page and Pipedream all see your user's id, no cookie", async () => {
  await withServer(async (server) => {
    const ada = new SignedInBrowser(server.url, "user-42@example.com");
    const session = SessionResponse.parse((await ada.json("/api/session")).body);
    equal(session.externalUserId, "user-42@example.com");
    equal(ada.cookie, "", "no anonymous session cookie is set");
    const page = await ada.fetch("/");
    match(await page.text(), /"externalUserId":"user-42@example.com"/);

    // The connect token Pipedream mints, and the account connected with it, are this user's.
    const account = await connectAccount(ada, server, "slack");
    const owner = await server.db.execute({
      sql: "SELECT external_user_id FROM sandbox_accounts WHERE id = ?",
      args: [account],
    });
    equal(owner.rows[0].external_user_id, "user-42@example.com");
    equal((await ada.json(`/api/accounts/${account}`)).status, 200);
    const grace = new SignedInBrowser(server.url, "user-43@example.com");
    equal((await grace.json(`/api/accounts/${account}`)).status, 404);
  }, { identify: proxyLogin });
});

Deno.test("nobody signed in: 401 unauthenticated on the API and the page, or identify's own redirect", async () => {
  await withServer(async (server) => {
    const anonymous = new TestBrowser(server.url);
    for (const [method, path] of [["GET", "/api/session"], ["POST", "/api/connect/token"], ["GET", "/"]]) {
      const res = await anonymous.json<{ error: { code: string } }>(path, {
        method,
        ...(method === "POST" ? { json: {} } : {}),
      });
      equal(res.status, 401, `${method} ${path}`);
      equal(res.body.error.code, "unauthenticated");
    }
    equal(anonymous.cookie, "");
    const redirected = await new SignedInBrowser(server.url, "send-me-to-sign-in").fetch("/", {
      redirect: "manual",
    });
    equal(redirected.status, 302);
    equal(redirected.headers.get("location"), "/login");
    await redirected.body?.cancel();
  }, { identify: proxyLogin });
});

Deno.test("an identify that returns an empty id is a bug: 500, never a shared user", async () => {
  await withServer(async (server) => {
    const res = await new TestBrowser(server.url).json<{ error: { code: string } }>("/api/session");
    equal(res.status, 500);
    equal(res.body.error.code, "internal");
  }, { identify: () => Promise.resolve({ externalUserId: "" }) });
});
