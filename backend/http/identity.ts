/**
 * Who is asking: the one question every /api route and the page depend on,
 * answered by the `identify(c)` that createApp is given. The default is the
 * anonymous per-browser session of session.ts (a server-side session, which
 * a browser starts with `POST /api/session`; reading never creates one). To
 * use your own login, pass an `identify` that reads your session and returns
 * your user's id as the external user id, or `undefined` when nobody is
 * signed in: the API then answers 401 `unauthenticated`, and so does the
 * page, unless `identify` throws an `HTTPException` that carries a response
 * (a redirect to your sign-in page).
 */
import type { Context, MiddlewareHandler } from "hono";
import { ApiError } from "./errors.ts";
import type { SessionVars } from "./session.ts";

export type Identity = {
  /** Pipedream's external user id: the key to this user's accounts, runs, triggers and events. */
  externalUserId: string;
};

export type Identify = (c: Context) => Promise<Identity | undefined>;

/** An external user id names one user: never empty, bounded, no control characters. */
const EXTERNAL_USER_ID = /^\P{Cc}{1,250}$/u;

export type IdentityOptions = {
  /** Requests that may go on without an identity (`externalUserId` undefined): "who am I", "start". */
  optional?: (c: Context) => boolean;
  /** What a 401 says (anonymous sessions: how to start one; a login: sign in). */
  message?: string;
};

/** Sets `externalUserId` for what follows, or answers 401 when `identify` knows nobody. */
export function identityMiddleware(
  identify: Identify,
  opts: IdentityOptions = {},
): MiddlewareHandler<{ Variables: SessionVars }> {
  return async (c, next) => {
    const who = await identify(c);
    if (!who && !opts.optional?.(c)) {
      throw new ApiError(401, "unauthenticated", opts.message ?? "Sign in to use this app");
    }
    if (who && !EXTERNAL_USER_ID.test(who.externalUserId)) {
      // A bug in a custom identify, not the caller's fault: answered 500 and logged.
      throw new Error(
        "identify() returned an external user id that is empty, too long or has control characters",
      );
    }
    c.set("externalUserId", who?.externalUserId);
    await next();
  };
}
