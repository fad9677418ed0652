/**
 * Which project environment a call is in. The OpenAPI document marks
 * `x-pd-environment` required on every project operation ("the environment
 * in which the server client is running"); a Connect token already belongs
 * to the environment it was minted in, and the browser SDK sends no header
 * unless told. So: a server call must say it, a browser call gets its
 * token's, and `development` and `production` data are kept apart: an
 * account, deployment or reload-props id of one environment does not exist
 * in the other (store.ts takes the environment on every such query).
 */
import type { Context, MiddlewareHandler } from "hono";
import { actingUser } from "./auth.ts";
import { badRequest, type SandboxEnv } from "./http.ts";

export type ProjectEnvironment = "development" | "production";

/** Whose data a call acts on: one external user, in one environment. */
export type Owner = { environment: ProjectEnvironment; externalUserId: string };

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

/**
 * The owner a call acts for: its environment, and its user (a browser's
 * token's, whatever it sends; the one a server names). Undefined when a
 * server call named no user.
 */
export function actingOwner<E extends SandboxEnv>(c: Context<E>, requested: unknown): Owner | undefined {
  const externalUserId = actingUser(c, requested);
  return externalUserId === undefined ? undefined : { environment: environmentOf(c), externalUserId };
}

/** Route groups of project data use it after `signedIn`: a server call that names no environment is refused. */
export const inEnvironment: MiddlewareHandler<SandboxEnv> = async (c, next) => {
  environmentOf(c);
  await next();
};
