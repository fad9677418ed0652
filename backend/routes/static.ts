/**
 * Serves the frontend Val Town style: `/` is frontend/index.html with the
 * session injected (the first paint needs no extra round trip), and the
 * bundle is served under content-hashed URLs, cached forever, brotli- or
 * gzip-compressed when the browser takes it (compressed at build, never per
 * request: lib/frontend_build.ts).
 */
import { type Context, Hono } from "hono";
import type { Config } from "../config.ts";
import { ApiError, errorResponse } from "../http/errors.ts";
import { negotiate } from "../lib/compression.ts";
import { type FrontendBuild, loadFrontend, readIndexHtml } from "../lib/frontend_build.ts";
import { liveApiBaseUrl } from "../pipedream/client.ts";
import type { AppEnv } from "./types.ts";

export type StaticDeps = {
  config: Config;
  initialData: (c: Context<AppEnv>) => unknown;
  /** Where the browser SDK calls Pipedream in live mode (for the CSP). */
  liveApiOrigin?: string;
  /** The project root holding frontend/ and dist/ (tests point it elsewhere). */
  root?: URL;
};

/** A CSP that allows only this app's scripts, emotion's styles and the Connect iframe. */
export function contentSecurityPolicy(config: Config, apiOrigin: string): string {
  const live = config.mode === "live";
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data:${live ? " https:" : ""}`,
    `connect-src 'self'${live ? ` ${apiOrigin}` : ""}`,
    `frame-src 'self'${live ? " https://pipedream.com" : ""}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join("; ");
}

function escapeJsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");
}

export function staticRoutes(deps: StaticDeps) {
  let build: Promise<FrontendBuild> | undefined;
  let html: Promise<string> | undefined;
  const loadBuild = () => {
    build ??= loadFrontend(deps.root).catch((err) => {
      build = undefined;
      throw err;
    });
    return build;
  };
  const liveApi = deps.liveApiOrigin ?? new URL(liveApiBaseUrl(deps.config)).origin;
  const csp = contentSecurityPolicy(deps.config, liveApi);

  const page = async (c: Context<AppEnv>) => {
    const [b, template] = await Promise.all([loadBuild(), html ??= readIndexHtml(deps.root)]);
    const body = template
      .replace(
        "<!--ASSETS-->",
        [
          `<link rel="stylesheet" href="/assets/${b.id}/${b.css}">`,
          `<link rel="icon" href="/assets/${b.id}/favicon.svg" type="image/svg+xml">`,
          ...b.preload.map((f) => `<link rel="modulepreload" href="/assets/${b.id}/${f}">`),
          `<script type="module" src="/assets/${b.id}/${b.entry}"></script>`,
        ].join("\n    "),
      )
      .replace(
        "<!--INITIAL_DATA-->",
        `<script type="application/json" id="initial-data">${
          escapeJsonForHtml(deps.initialData(c))
        }</script>`,
      );
    c.header("Content-Security-Policy", csp);
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "strict-origin-when-cross-origin");
    c.header("X-Frame-Options", "DENY");
    c.header("Cache-Control", "no-store");
    return c.html(body);
  };

  return new Hono<AppEnv>()
    .get("/", page)
    .get("/assets/:id/:file", async (c) => {
      const b = await loadBuild();
      const asset = c.req.param("id") === b.id ? b.assets.get(c.req.param("file")) : undefined;
      if (!asset) {
        return errorResponse(
          c,
          new ApiError(404, "not_found", "No such asset (the app was updated; reload)"),
        );
      }
      const encoding = negotiate(c.req.header("accept-encoding"), asset.encodings);
      const body = await asset.read(encoding);
      return c.body(body as Uint8Array<ArrayBuffer>, 200, {
        "Content-Type": asset.type,
        "Cache-Control": "public, max-age=31536000, immutable",
        "X-Content-Type-Options": "nosniff",
        // Caches keep one copy per encoding.
        ...(asset.encodings.length ? { Vary: "Accept-Encoding" } : {}),
        ...(encoding ? { "Content-Encoding": encoding } : {}),
      });
    });
}
