/**
 * Who is calling: the project's server (an OAuth access token from the
 * client-credentials grant) or a browser (a connect token, which speaks only
 * for its one external user and only from its allowed origins).
 */
import type { Context, MiddlewareHandler } from "hono";
import type { Db } from "../database/db.ts";
import type { Clock } from "../lib/clock.ts";
import { type ConnectToken, findConnectToken } from "./store.ts";

export type Caller = { kind: "server" } | { kind: "browser"; token: ConnectToken };
export type SandboxEnv = { Variables: { caller: Caller; base: string } };

export function pdError(c: Context, status: number, message: string, code?: string): Response {
  return c.json({ error: message, ...(code ? { code } : {}) }, status as 400);
}

export function authenticate(db: Db, clock: Clock): MiddlewareHandler<SandboxEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const m = header.match(/^Bearer\s+(\S+)$/i);
    if (!m) return pdError(c, 401, "Missing Authorization: Bearer header", "unauthorized");
    const bearer = m[1];
    if (bearer.startsWith("ctok_")) {
      const token = await findConnectToken(db, bearer);
      if (!token) return pdError(c, 401, "Invalid connect token", "unauthorized");
      if (token.expiresAt <= clock.now()) return pdError(c, 401, "Connect token expired", "token_expired");
      const origin = c.req.header("origin");
      if (origin && token.allowedOrigins.length > 0 && !token.allowedOrigins.includes(origin)) {
        return pdError(c, 403, `Origin ${origin} is not allowed for this token`, "origin_not_allowed");
      }
      c.set("caller", { kind: "browser", token });
    } else {
      const rs = await db.execute({
        sql: "SELECT expires_at FROM sandbox_oauth_tokens WHERE token = ?",
        args: [bearer],
      });
      if (!rs.rows[0] || Number(rs.rows[0].expires_at) <= clock.now()) {
        return pdError(c, 401, "Invalid or expired access token", "unauthorized");
      }
      c.set("caller", { kind: "server" });
    }
    await next();
  };
}

/** Routes a connect token may not call. */
export function serverOnly(c: Context<SandboxEnv>): Response | undefined {
  return c.get("caller").kind === "server"
    ? undefined
    : pdError(c, 403, "This route needs the project's OAuth access token, not a connect token", "forbidden");
}

/**
 * The external user a call acts for: a browser's is its token's, whatever it
 * sends; a server names one. Undefined when a server call named none.
 */
export function actingUser(c: Context<SandboxEnv>, requested: unknown): string | undefined {
  const caller = c.get("caller");
  if (caller.kind === "browser") return caller.token.externalUserId;
  return typeof requested === "string" && requested !== "" ? requested : undefined;
}
