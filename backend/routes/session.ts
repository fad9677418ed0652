/**
 * The session, read: who the browser is (`GET`, which never creates one) and
 * where its SDK talks to Pipedream. Every page load asks it first, so it is
 * served from start (with the page, static.ts) and loads nothing else: no
 * zod, no request schemas. Starting a session and "Forget me", which take a
 * body, are in session_changes.ts, loaded after start (lib/lazy.ts).
 */
import { Hono } from "hono";
import type { SessionState } from "../../shared/api.ts";
import { liveApiBaseUrl, projectEnvironmentFor } from "../pipedream/client.ts";
import type { AppEnv, RouteDeps } from "./types.ts";

export function sessionPayload<U extends string | null>(
  deps: Pick<RouteDeps, "config">,
  externalUserId: U,
  origin: string,
): SessionState & { externalUserId: U } {
  const { config } = deps;
  return {
    externalUserId,
    mode: config.mode,
    pipedream: config.mode === "sandbox"
      ? { baseUrl: `${origin}/sandbox`, projectEnvironment: "development" }
      : {
        ...(config.live!.apiHost ? { baseUrl: liveApiBaseUrl(config) } : {}),
        projectEnvironment: projectEnvironmentFor(config),
      },
  };
}

export function sessionRoutes(deps: RouteDeps) {
  return new Hono<AppEnv>()
    .get("/", (c) => c.json(sessionPayload(deps, c.get("externalUserId") ?? null, deps.appOrigin(c))));
}
