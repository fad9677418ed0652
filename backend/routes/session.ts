import { Hono } from "hono";
import type { SessionResponse } from "../../shared/api.ts";
import { liveApiBaseUrl, projectEnvironmentFor } from "../pipedream/client.ts";
import type { AppEnv, RouteDeps } from "./types.ts";

export function sessionPayload(
  deps: Pick<RouteDeps, "config">,
  externalUserId: string,
  origin: string,
): SessionResponse {
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
  return new Hono<AppEnv>().get(
    "/",
    (c) => c.json(sessionPayload(deps, c.get("externalUserId"), deps.appOrigin(c))),
  );
}
