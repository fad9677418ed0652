/**
 * Anonymous per-browser identity. The external user id lives in a signed
 * cookie the server sets; the browser can neither choose nor change it. A cookie
 * whose signature does not verify is treated as absent: that browser gets a
 * fresh identity, never someone else's.
 */
import type { MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { toBase64Url } from "../../shared/encoding.ts";
import { hmacSha256, timingSafeEqualString } from "../lib/crypto.ts";

export const SESSION_COOKIE = "pdc_session";
const USER_ID_PATTERN = /^u_[A-Za-z0-9_-]{22}$/;
const ONE_YEAR_SECONDS = 60 * 60 * 24 * 365;

export function newExternalUserId(): string {
  return "u_" + toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
}

export async function signSession(secret: string, userId: string): Promise<string> {
  return `${userId}.${toBase64Url(await hmacSha256(secret, `session:${userId}`))}`;
}

/** The user id a cookie value proves, or undefined when it proves nothing. */
export async function verifySession(secret: string, value: string | undefined): Promise<string | undefined> {
  if (!value || value.length > 200) return undefined;
  const dot = value.indexOf(".");
  if (dot < 0) return undefined;
  const userId = value.slice(0, dot);
  if (!USER_ID_PATTERN.test(userId)) return undefined;
  const expected = await signSession(secret, userId);
  return timingSafeEqualString(expected, value) ? userId : undefined;
}

export type SessionVars = { externalUserId: string };

export function sessionMiddleware(
  getSecret: () => Promise<string>,
): MiddlewareHandler<{ Variables: SessionVars }> {
  return async (c, next) => {
    const secret = await getSecret();
    let userId = await verifySession(secret, getCookie(c, SESSION_COOKIE));
    if (!userId) {
      userId = newExternalUserId();
      setCookie(c, SESSION_COOKIE, await signSession(secret, userId), {
        httpOnly: true,
        sameSite: "Lax",
        secure: new URL(c.req.url).protocol === "https:",
        path: "/",
        maxAge: ONE_YEAR_SECONDS,
      });
    }
    c.set("externalUserId", userId);
    await next();
  };
}
