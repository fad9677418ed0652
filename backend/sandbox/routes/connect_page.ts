/**
 * `/_static`: the Connect page (what Pipedream shows in its iframe or at a
 * Connect Link), the app icons, and what the page posts when the user
 * approves or denies (see connect_flow.ts). The page's files live in
 * ../connect_page/ and are read through lib/files.ts, so they are served
 * from a local checkout and from Val Town (which reads files by URL) alike.
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import { readTextFile } from "../../lib/files.ts";
import { findApp } from "../catalog/index.ts";
import { completeConnection } from "../connect_flow.ts";
import { json, messageOnly, notFound, type SandboxEnv } from "../http.ts";
import { iconSvg } from "../wire.ts";
import type { SandboxDeps } from "./types.ts";

const AuthorizeBody = z.object({
  token: z.string().min(1).max(200),
  app: z.string().min(1).max(100),
  decision: z.enum(["approve", "deny"]),
  fields: z.record(z.string().max(100), z.string().max(1000)).optional(),
  /** The account being reconnected (the page's `accountId` parameter). */
  accountId: z.string().min(1).max(100).optional(),
}).strict();

const PAGE_DIR = "backend/sandbox/connect_page/";

/** The page's files and their headers. The page itself may be framed by any site, as Pipedream's is. */
const PAGE_FILES: Record<string, Record<string, string>> = {
  "connect.html": {
    "content-type": "text/html; charset=utf-8",
    "content-security-policy": "default-src 'self'; img-src 'self' data:; frame-ancestors *",
    "referrer-policy": "no-referrer",
  },
  "connect.js": { "content-type": "text/javascript; charset=utf-8" },
  "connect.css": { "content-type": "text/css; charset=utf-8" },
};

export function connectPageRoutes({ db, clock, deliveries }: SandboxDeps) {
  // Read once per process; a failed read is tried again on the next request.
  const files = new Map<string, Promise<string>>();
  const read = (name: string) => {
    let file = files.get(name);
    if (!file) {
      file = readTextFile(PAGE_DIR + name).catch((err) => {
        files.delete(name);
        throw err;
      });
      files.set(name, file);
    }
    return file;
  };
  const serve = (name: string) => async (c: Context<SandboxEnv>) =>
    c.body(await read(name), 200, {
      ...PAGE_FILES[name],
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    });

  return new Hono<SandboxEnv>()
    .get("/connect.html", serve("connect.html"))
    .get("/connect.js", serve("connect.js"))
    .get("/connect.css", serve("connect.css"))
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
