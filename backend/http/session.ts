/**
 * Anonymous sessions: the default identity (identity.ts), giving each browser
 * its own external user id. With your own login (an `identify` given to
 * createApp) none of this runs.
 *
 * Sessions are server-side: the cookie holds a random token, the
 * database its hash, its user and its expiry (30 days, renewed by rotation
 * once a day), so a session can be revoked everywhere at once. Reading never
 * writes: a request without a session stays without one until it asks for
 * one (`POST /api/session`), and creating one is limited per client address.
 *
 * The cookie cannot be planted from elsewhere on the host: on https it is
 * `__Host-pdc_session` (Secure, Path=/, no Domain: no other origin can set
 * it), and a request carrying more than one session cookie (one of them
 * planted, say with `Path=/api` from another port: cookies ignore ports) is
 * refused rather than guessed at.
 */
import type { Context } from "hono";
import { setCookie } from "hono/cookie";
import type { Db } from "../database/db.ts";
import { findSession, insertSession, rotateSession } from "../database/sessions.ts";
import type { Clock } from "../lib/clock.ts";
import { toBase64Url } from "../../shared/encoding.ts";
import { randomToken } from "../lib/crypto.ts";
import { ApiError } from "./errors.ts";
import type { Identify } from "./identity.ts";

export const SESSION_COOKIE = "pdc_session";
/** What an anonymous browser without a session is told (401 `unauthenticated`). */
export const NO_SESSION_MESSAGE = "No session yet: POST /api/session starts one.";
export const SECURE_SESSION_COOKIE = "__Host-pdc_session";
export const SESSION_TTL_MS = 30 * 24 * 60 * 60_000;
export const ROTATE_AFTER_MS = 24 * 60 * 60_000;
/** How long a rotated-out token still works (requests already in flight carry it). */
export const ROTATION_GRACE_MS = 60_000;

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Who the request acts for; undefined only where identity.ts lets a request go on without one. */
export type SessionVars = { externalUserId: string | undefined };

export type AnonymousSessions = {
  /** The session's user, if the request has a live session. Writes only to rotate a day-old session. */
  identify: Identify;
  /** Starts a session with a new identity (the route limits how often an address may ask). */
  start(c: Context): Promise<string>;
  /** Ends every session of a user, on every instance (after "Forget me"). */
  end(externalUserId: string): Promise<void>;
};

export function newExternalUserId(): string {
  return "u_" + toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
}

/** The session cookie values a Cookie header carries, by name, in order. */
export function sessionCookies(cookieHeader: string | undefined): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = [];
  for (const part of (cookieHeader ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (name === SESSION_COOKIE || name === SECURE_SESSION_COOKIE) {
      out.push({ name, value: part.slice(eq + 1).trim() });
    }
  }
  return out;
}

export type AnonymousSessionDeps = {
  db: Db;
  clock: Clock;
  /** Whether the app's origin is https (then the cookie is `__Host-` and Secure). */
  secure: () => boolean;
};

export function anonymousSessions(deps: AnonymousSessionDeps): AnonymousSessions {
  const cookieName = () => (deps.secure() ? SECURE_SESSION_COOKIE : SESSION_COOKIE);
  const writeCookie = (c: Context, value: string, maxAgeMs: number) =>
    setCookie(c, cookieName(), value, {
      httpOnly: true,
      sameSite: "Lax",
      secure: deps.secure(),
      path: "/",
      maxAge: Math.floor(maxAgeMs / 1000),
    });

  /** The token this request presents, or undefined; throws when it presents more than one. */
  function presentedToken(c: Context): string | undefined {
    const found = sessionCookies(c.req.header("cookie"));
    if (found.length > 1) throw duplicateCookies(c, deps.secure());
    const [only] = found;
    // On https only the __Host- cookie counts: a plain one may have been set over http.
    if (!only || only.name !== cookieName() || !TOKEN_PATTERN.test(only.value)) return undefined;
    return only.value;
  }

  return {
    async identify(c) {
      const token = presentedToken(c);
      if (!token) return undefined;
      const now = deps.clock.now();
      const session = await findSession(deps.db, token, now);
      if (!session) return undefined;
      // Once a day a session gets a new token (and a new expiry): a stolen
      // cookie stops working, and an active user is never logged out.
      if (now - session.createdMs >= ROTATE_AFTER_MS) {
        const next = randomToken(32);
        await rotateSession(
          deps.db,
          token,
          next,
          session.externalUserId,
          now,
          SESSION_TTL_MS,
          ROTATION_GRACE_MS,
        );
        writeCookie(c, next, SESSION_TTL_MS);
      }
      return { externalUserId: session.externalUserId };
    },
    async start(c) {
      const userId = newExternalUserId();
      const token = randomToken(32);
      await insertSession(deps.db, token, userId, deps.clock.now(), SESSION_TTL_MS);
      writeCookie(c, token, SESSION_TTL_MS);
      return userId;
    },
    async end(externalUserId) {
      await deps.db.execute({
        sql: "DELETE FROM sessions WHERE external_user_id = ?",
        args: [externalUserId],
      });
    },
  };
}

/**
 * Two session cookies: one was planted. Neither is trusted; the answer also
 * expires the plain-named cookie on the request's path prefixes other than
 * `/` (the app only ever sets `Path=/`, so those are the planted ones).
 */
function duplicateCookies(c: Context, secure: boolean): ApiError {
  const segments = c.req.path.split("/").filter(Boolean);
  // On https the app never sets the plain name at all, so it goes at `/` too.
  const paths = secure ? ["/"] : [];
  for (let i = 1; i <= segments.length; i++) paths.push("/" + segments.slice(0, i).join("/"));
  return new ApiError(
    400,
    "duplicate_session_cookie",
    "This request carries more than one session cookie, so another site may have planted one. " +
      "Reload the page; if this persists, clear this site's cookies.",
    { "Set-Cookie": paths.map((path) => `${SESSION_COOKIE}=; Path=${path}; Max-Age=0`) },
  );
}

/** The session user of a route that runs only with one (see sessionMiddleware). */
// deno-lint-ignore no-explicit-any -- any app whose variables include SessionVars
export function userOf(c: Context<any>): string {
  const userId = (c as Context<{ Variables: SessionVars }>).get("externalUserId");
  if (!userId) throw new ApiError(401, "unauthenticated", NO_SESSION_MESSAGE);
  return userId;
}
