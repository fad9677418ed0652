/**
 * Who is asking: the one question every /api route and the page depend on,
 * answered by the `identify(c)` that createApp is given. The default is the
 * anonymous per-browser identity of session.ts (a signed cookie, minted on
 * the first visit). To use your own login, pass an `identify` that reads
 * your session and returns your user's id as the external user id, or
 * `undefined` when nobody is signed in: the API then answers 401
 * `unauthenticated`, and so does the page, unless `identify` throws an
 * `HTTPException` that carries a response (a redirect to your sign-in page).
 */
import type { Context, MiddlewareHandler } from "hono";
import { ApiError } from "./errors.ts";
import { sessionMiddleware, type SessionVars } from "./session.ts";

export type Identity = {
  /** Pipedream's external user id: the key to this user's accounts, runs, triggers and events. */
  externalUserId: string;
};

export type Identify = (c: Context) => Promise<Identity | undefined>;

/** An external user id names one user: never empty, bounded, no control characters. */
const EXTERNAL_USER_ID = /^\P{Cc}{1,250}$/u;

/** Sets `externalUserId` for what follows, or answers 401 when `identify` knows nobody. */
export function identityMiddleware(identify: Identify): MiddlewareHandler<{ Variables: SessionVars }> {
  return async (c, next) => {
    const who = await identify(c);
    if (!who) throw new ApiError(401, "unauthenticated", "Sign in to use this app");
    if (!EXTERNAL_USER_ID.test(who.externalUserId)) {
      // A bug in a custom identify, not the caller's fault: answered 500 and logged.
      throw new Error(
        "identify() returned an external user id that is empty, too long or has control characters",
      );
    }
    c.set("externalUserId", who.externalUserId);
    await next();
  };
}

/**
 * The default: every browser is its own anonymous user (session.ts). It runs
 * the session middleware, which verifies or mints the cookie, and reports
 * whom it identified.
 */
export function anonymousIdentity(getSecret: () => Promise<string>): Identify {
  const session = sessionMiddleware(getSecret);
  return async (c) => {
    let externalUserId: string | undefined;
    await session(c, () => {
      externalUserId = c.get("externalUserId");
      return Promise.resolve();
    });
    return externalUserId === undefined ? undefined : { externalUserId };
  };
}
