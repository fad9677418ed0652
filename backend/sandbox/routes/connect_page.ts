/**
 * `/_static`: the Connect page (what Pipedream shows in its iframe or at a
 * Connect Link), the app icons, and what the page posts when the user
 * approves or denies (see connect_flow.ts).
 */
import { Hono } from "hono";
import { z } from "zod";
import { findApp } from "../catalog/index.ts";
import { completeConnection } from "../connect_flow.ts";
import { CONNECT_CSS, CONNECT_HTML, CONNECT_JS } from "../connect_page.ts";
import { json, messageOnly, notFound, type SandboxEnv } from "../http.ts";
import { iconSvg } from "../wire.ts";
import type { SandboxDeps } from "./types.ts";

const AuthorizeBody = z.object({
  token: z.string().min(1).max(200),
  app: z.string().min(1).max(100),
  decision: z.enum(["approve", "deny"]),
  fields: z.record(z.string().max(100), z.string().max(1000)).optional(),
}).strict();

const PAGE_HEADERS = { "cache-control": "no-store", "x-content-type-options": "nosniff" };

export function connectPageRoutes({ db, clock, deliveries }: SandboxDeps) {
  return new Hono<SandboxEnv>()
    .get("/connect.html", (c) =>
      c.body(CONNECT_HTML, 200, {
        ...PAGE_HEADERS,
        "content-type": "text/html; charset=utf-8",
        "content-security-policy": "default-src 'self'; img-src 'self' data:; frame-ancestors *",
        "referrer-policy": "no-referrer",
      }))
    .get(
      "/connect.js",
      (c) => c.body(CONNECT_JS, 200, { ...PAGE_HEADERS, "content-type": "text/javascript; charset=utf-8" }),
    )
    .get(
      "/connect.css",
      (c) => c.body(CONNECT_CSS, 200, { ...PAGE_HEADERS, "content-type": "text/css; charset=utf-8" }),
    )
    .get("/icons/:file", (c) => {
      const app = findApp(c.req.param("file").replace(/\.svg$/, ""));
      if (!app) throw notFound("No such icon");
      return c.body(iconSvg(app), 200, {
        "content-type": "image/svg+xml",
        "cache-control": "public, max-age=86400",
      });
    })
    .post("/connect/authorize", json(AuthorizeBody, messageOnly), async (c) => {
      const result = await completeConnection({ db, clock, deliveries }, {
        ...c.req.valid("json"),
        base: c.get("base"),
      });
      if (result.ok) return c.json({ accountId: result.accountId, redirect: result.redirect });
      return c.json({ error: result.error, redirect: result.redirect }, result.status as 400);
    });
}
