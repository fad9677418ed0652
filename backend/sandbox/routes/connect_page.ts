/**
 * `/_static`: the Connect page (what Pipedream shows in its iframe or at a
 * Connect Link), the app icons, and what the page posts when the user
 * approves or denies (see connect_flow.ts). The page's files live in
 * ../connect_page/ and are read through lib/files.ts, so they are served
 * from a local checkout and from Val Town (which reads files by URL) alike.
 *
 * Only the token's allowed origins may frame the page (`frame-ancestors`),
 * and the page posts its result (the new account id) only to them: it is
 * told which in a `<meta name="parent-origins">`. A page without a valid
 * token, or a token without allowed origins, may not be framed at all (it
 * still works as a Connect Link, in its own tab). Our choice: Pipedream's
 * own page was not observed doing this; stricter is safer.
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import { paletteCss } from "../../../shared/palette.ts";
import { readTextFile } from "../../lib/files.ts";
import { findApp } from "../catalog/index.ts";
import { completeConnection } from "../connect_flow.ts";
import { notFound, type SandboxEnv } from "../http.ts";
import { json, messageOnly } from "../validate.ts";
import { findConnectToken } from "../store.ts";
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

/** The page's files and their headers (the page's CSP is made per token). */
const PAGE_FILES: Record<string, Record<string, string>> = {
  "connect.html": {
    "content-type": "text/html; charset=utf-8",
    "referrer-policy": "no-referrer",
  },
  "connect.js": { "content-type": "text/javascript; charset=utf-8" },
  "connect.css": { "content-type": "text/css; charset=utf-8" },
};

/** A CSP source list entry is an origin: scheme, host, port, nothing that could end the directive. */
const SAFE_ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/;

const escapeAttribute = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function connectPageRoutes({ db, clock, deliveries, destinations }: SandboxDeps) {
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
  // The page takes the app's palette: its CSS refers to the same variables.
  const content = async (name: string) =>
    name === "connect.css" ? `${paletteCss()}\n${await read(name)}` : await read(name);
  const serve = (name: string) => async (c: Context<SandboxEnv>) =>
    c.body(await content(name), 200, {
      ...PAGE_FILES[name],
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    });

  const page = async (c: Context<SandboxEnv>) => {
    const token = await findConnectToken(db, c.req.query("token") ?? "");
    const parents = token && token.expiresAt > clock.now()
      ? token.allowedOrigins.filter((o) => SAFE_ORIGIN.test(o))
      : [];
    const html = (await read("connect.html")).replace(
      '<meta name="parent-origins" content="[]">',
      `<meta name="parent-origins" content="${escapeAttribute(JSON.stringify(parents))}">`,
    );
    return c.body(html, 200, {
      ...PAGE_FILES["connect.html"],
      "content-security-policy": `default-src 'self'; img-src 'self' data:; frame-ancestors ${
        parents.length ? parents.join(" ") : "'none'"
      }`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    });
  };

  return new Hono<SandboxEnv>()
    .get("/connect.html", page)
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
      // A redirect stored before the app's address changed is dropped, not followed.
      const redirect = result.redirect && destinations.allowed(result.redirect) ? result.redirect : undefined;
      if (result.ok) return c.json({ accountId: result.accountId, redirect });
      return c.json({ error: result.error, redirect }, result.status as 400);
    });
}
