/**
 * `/v1/connect/proxy/:url64` (`connect:proxy`): a request to the account's app,
 * with the account's credentials added by the sandbox, answered by the
 * app's own small API (catalog). The URL is base64url; relative paths
 * resolve against the app's API base, and nothing outside it is reached.
 */
import { Hono } from "hono";
import { z } from "zod";
import { fromBase64Text } from "../../../shared/encoding.ts";
import { findApp } from "../catalog/index.ts";
import { actingOwner, inEnvironment } from "../environment.ts";
import { badRequest, notFound, query, type SandboxEnv } from "../http.ts";
import { findAccount } from "../store.ts";
import type { SandboxDeps } from "./types.ts";

const ProxyQuery = z.object({ external_user_id: z.string().min(1), account_id: z.string().min(1) })
  .passthrough();

export function proxyRoutes({ db, guards, context }: SandboxDeps) {
  return new Hono<SandboxEnv>()
    .use(guards.signedIn, inEnvironment, guards.scoped("connect:proxy"))
    .all("/:url64", query(ProxyQuery), async (c) => {
      const q = c.req.valid("query");
      const owner = actingOwner(c, q.external_user_id)!;
      const a = await findAccount(db, owner.environment, q.account_id);
      if (!a || a.externalUserId !== owner.externalUserId) throw notFound("Account not found");
      const app = findApp(a.app)!;
      let target: URL;
      try {
        const decoded = fromBase64Text(decodeURIComponent(c.req.param("url64")));
        target = new URL(decoded, app.apiBase + "/");
        if (decoded.startsWith("/")) target = new URL(app.apiBase + decoded);
      } catch {
        throw badRequest("The proxied URL is not valid base64 of a URL");
      }
      const base = new URL(app.apiBase);
      if (target.origin !== base.origin || !target.pathname.startsWith(base.pathname.replace(/\/$/, ""))) {
        throw badRequest(`The proxy only reaches ${app.name}'s API at ${app.apiBase}`);
      }
      const path = target.pathname.slice(base.pathname.replace(/\/$/, "").length) || "/";
      let reqBody: unknown = undefined;
      if (!["GET", "DELETE", "HEAD"].includes(c.req.method)) {
        const text = await c.req.text();
        try {
          reqBody = text ? JSON.parse(text) : undefined;
        } catch {
          // Not JSON: the app's API gets the text as sent.
          reqBody = text;
        }
      }
      const result = await app.api(context(owner, {}, []), a, {
        method: c.req.method,
        path,
        query: target.searchParams,
        body: reqBody,
      });
      return c.json(result.body as object, result.status as 200);
    });
}
