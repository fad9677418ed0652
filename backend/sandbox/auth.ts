/**
 * Who is calling, as middleware: `signedIn` accepts the project's server (an
 * OAuth access token from the client-credentials grant) or a browser (a
 * connect token, which speaks only for its one external user and only from
 * its allowed origins); after it, `serverOnly` refuses connect tokens (the
 * operations whose OpenAPI security is OAuth2 alone) and `scoped(s)` refuses
 * a connect token whose scope does not cover `s` (scopes.ts).
 * Route groups declare which they need (see routes/).
 */
import type { Context, MiddlewareHandler } from "hono";
import type { Db } from "../database/db.ts";
import type { Clock } from "../lib/clock.ts";
import { PipedreamApiError, type SandboxEnv } from "./http.ts";
import { type Scope, scopeAllows } from "./scopes.ts";
import { findConnectToken, findOAuthTokenExpiry } from "./store.ts";

export type Guards = {
  signedIn: MiddlewareHandler<SandboxEnv>;
  serverOnly: MiddlewareHandler<SandboxEnv>;
  scoped(scope: Scope): MiddlewareHandler<SandboxEnv>;
};

const unauthorized = (message: string, code = "unauthorized") => new PipedreamApiError(401, message, code);

export function createGuards(db: Db, clock: Clock): Guards {
  const signedIn: MiddlewareHandler<SandboxEnv> = async (c, next) => {
    const m = (c.req.header("authorization") ?? "").match(/^Bearer\s+(\S+)$/i);
    if (!m) throw unauthorized("Missing Authorization: Bearer header");
    const bearer = m[1];
    if (bearer.startsWith("ctok_")) {
      const token = await findConnectToken(db, bearer);
      if (!token) throw unauthorized("Invalid connect token");
      if (token.expiresAt <= clock.now()) throw unauthorized("Connect token expired", "token_expired");
      const origin = c.req.header("origin");
      if (origin && token.allowedOrigins.length > 0 && !token.allowedOrigins.includes(origin)) {
        throw new PipedreamApiError(
          403,
          `Origin ${origin} is not allowed for this token`,
          "origin_not_allowed",
        );
      }
      c.set("caller", { kind: "browser", token });
    } else {
      const expiresAt = await findOAuthTokenExpiry(db, bearer);
      if (expiresAt === undefined || expiresAt <= clock.now()) {
        throw unauthorized("Invalid or expired access token");
      }
      c.set("caller", { kind: "server" });
    }
    await next();
  };

  const serverOnly: MiddlewareHandler<SandboxEnv> = async (c, next) => {
    if (c.get("caller").kind !== "server") {
      throw new PipedreamApiError(
        403,
        "This route needs the project's OAuth access token, not a connect token",
        "forbidden",
      );
    }
    await next();
  };

  const scoped = (scope: Scope): MiddlewareHandler<SandboxEnv> => async (c, next) => {
    const caller = c.get("caller");
    if (caller.kind === "browser" && !scopeAllows(caller.token.scope, scope)) {
      throw new PipedreamApiError(
        403,
        `This connect token's scope (${caller.token.scope}) does not include ${scope}`,
        "insufficient_scope",
      );
    }
    await next();
  };

  return { signedIn, serverOnly, scoped };
}

/**
 * The external user a call acts for: a browser's is its token's, whatever it
 * sends; a server names one. Undefined when a server call named none.
 */
export function actingUser<E extends SandboxEnv>(c: Context<E>, requested: unknown): string | undefined {
  const caller = c.get("caller");
  if (caller.kind === "browser") return caller.token.externalUserId;
  return typeof requested === "string" && requested !== "" ? requested : undefined;
}
