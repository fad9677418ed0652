/**
 * Which project environment a call is in. The OpenAPI document marks
 * `x-pd-environment` required on every project operation ("the environment
 * in which the server client is running"); a Connect token already belongs
 * to the environment it was minted in, and the browser SDK sends no header
 * unless told. So: a server call must say it, a browser call gets its
 * token's, and `development` and `production` data are kept apart.
 */
import type { Context, MiddlewareHandler } from "hono";
import { badRequest, type SandboxEnv } from "./http.ts";

export type ProjectEnvironment = "development" | "production";

export function environmentOf<E extends SandboxEnv>(c: Context<E>): ProjectEnvironment {
  const caller = c.get("caller");
  if (caller.kind === "browser") return caller.token.environment;
  const header = c.req.header("x-pd-environment");
  if (header === "development" || header === "production") return header;
  throw badRequest(
    header === undefined
      ? "The x-pd-environment header is required: development or production"
      : `x-pd-environment must be development or production, not ${JSON.stringify(header)}`,
  );
}

/** Route groups of project data use it after `signedIn`: a server call that names no environment is refused. */
export const inEnvironment: MiddlewareHandler<SandboxEnv> = async (c, next) => {
  environmentOf(c);
  await next();
};
