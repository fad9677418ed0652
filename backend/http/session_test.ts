import { equal, match, notEqual, ok } from "node:assert/strict";
import { Hono } from "hono";
import { openDatabase } from "../database/db.ts";
import { migrate } from "../database/migrate.ts";
import { appMigrations } from "../database/migrations.ts";
import { ManualClock } from "../lib/clock.ts";
import { handleErrors } from "./error_mapping.ts";
import { errorResponse } from "./errors.ts";
import {
  anonymousSessions,
  ROTATE_AFTER_MS,
  ROTATION_GRACE_MS,
  SECURE_SESSION_COOKIE,
  SESSION_COOKIE,
  SESSION_TTL_MS,
  sessionCookies,
  type SessionVars,
} from "./session.ts";
import { identityMiddleware } from "./identity.ts";

async function setup(secure: boolean) {
  const db = await openDatabase(":memory:");
  await migrate(db, appMigrations);
  const clock = new ManualClock();
  const identity = anonymousSessions({ db, clock, secure: () => secure });
  const app = new Hono<{ Variables: SessionVars }>();
  app.onError(handleErrors("test", errorResponse));
  app.use(identityMiddleware(identity.identify, { optional: () => true }));
  app.get("/whoami", (c) => c.text(c.get("externalUserId") ?? "nobody"));
  app.post("/start", async (c) => c.text(c.get("externalUserId") ?? await identity.start(c)));
  app.post("/end", async (c) => {
    await identity.end(c.get("externalUserId")!);
    return c.text("ended");
  });
  const base = secure ? "https://app.example" : "http://localhost";
  const request = (path: string, cookie?: string, method = "GET") =>
    app.request(`${base}${path}`, { method, headers: cookie ? { cookie } : {} });
  const cookieOf = (res: Response) => res.headers.getSetCookie().find((c) => /Path=\//.test(c))!;
  return { db, clock, request, cookieOf, close: () => db.close() };
}

Deno.test("a session starts only when asked, and reading never writes", async () => {
  const t = await setup(false);
  const anonymous = await t.request("/whoami");
  equal(await anonymous.text(), "nobody");
  equal(anonymous.headers.get("set-cookie"), null);
  equal(Number((await t.db.execute("SELECT COUNT(*) AS n FROM sessions")).rows[0].n), 0);

  const started = await t.request("/start", undefined, "POST");
  const cookie = t.cookieOf(started);
  match(cookie, new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43};`));
  match(cookie, /HttpOnly/);
  match(cookie, /SameSite=Lax/);
  equal(/Secure/.test(cookie), false, "no Secure flag on http");
  const id = await started.text();
  match(id, /^u_/);
  const again = await t.request("/whoami", cookie.split(";")[0]);
  equal(await again.text(), id);
  equal(again.headers.get("set-cookie"), null, "a fresh session is not rotated");
  t.close();
});

Deno.test("forged, unknown and malformed cookies prove nothing", async () => {
  const t = await setup(false);
  const cookie = t.cookieOf(await t.request("/start", undefined, "POST")).split(";")[0];
  const value = cookie.slice(cookie.indexOf("=") + 1);
  // A changed last character (one that differs from the real one: 1 in 64 ends in "A").
  const changed = value.endsWith("A") ? "B" : "A";
  for (
    const forged of [
      `${SESSION_COOKIE}=${value.slice(0, -1)}${changed}`,
      `${SESSION_COOKIE}=${value.slice(0, -1)}`,
      `${SESSION_COOKIE}=u_AAAAAAAAAAAAAAAAAAAAAA.sig`,
      `${SESSION_COOKIE}=${"x".repeat(5000)}`,
      `${SECURE_SESSION_COOKIE}=${value}`, // the https name means nothing on http
    ]
  ) {
    equal(await (await t.request("/whoami", forged)).text(), "nobody", forged.slice(0, 40));
  }
  t.close();
});

Deno.test("two session cookies (one planted, e.g. Path=/api from another port) are refused, and the planted paths cleared", async () => {
  const t = await setup(false);
  const mine = t.cookieOf(await t.request("/start", undefined, "POST")).split(";")[0];
  const planted = t.cookieOf(await t.request("/start", undefined, "POST")).split(";")[0];
  const res = await t.request("/whoami/deeper", `${planted}; ${mine}`);
  equal(res.status, 400);
  equal((await res.json()).error.code, "duplicate_session_cookie");
  const clears = res.headers.getSetCookie();
  ok(clears.includes(`${SESSION_COOKIE}=; Path=/whoami; Max-Age=0`), clears.join(" | "));
  ok(clears.includes(`${SESSION_COOKIE}=; Path=/whoami/deeper; Max-Age=0`));
  ok(!clears.some((c) => /Path=\/;/.test(c)), "the app's own cookie (Path=/) is left alone on http");
  t.close();
});

Deno.test("on https the cookie is __Host- and Secure, and a plain-named one counts as planted", async () => {
  const t = await setup(true);
  const started = await t.request("/start", undefined, "POST");
  const cookie = t.cookieOf(started);
  match(cookie, new RegExp(`^${SECURE_SESSION_COOKIE}=`));
  match(cookie, /Secure/);
  match(cookie, /Path=\//);
  equal(/Domain=/i.test(cookie), false);
  const id = await started.text();
  const pair = cookie.split(";")[0];
  equal(await (await t.request("/whoami", pair)).text(), id);
  const value = pair.slice(pair.indexOf("=") + 1);
  equal(await (await t.request("/whoami", `${SESSION_COOKIE}=${value}`)).text(), "nobody");
  const both = await t.request("/whoami", `${SESSION_COOKIE}=${value}; ${pair}`);
  equal(both.status, 400);
  ok(both.headers.getSetCookie().includes(`${SESSION_COOKIE}=; Path=/; Max-Age=0`));
  t.close();
});

Deno.test("sessions rotate once a day, the old token works for a grace period, and expire after their TTL", async () => {
  const t = await setup(false);
  const started = await t.request("/start", undefined, "POST");
  const id = await started.text();
  const first = t.cookieOf(started).split(";")[0];
  t.clock.advance(ROTATE_AFTER_MS);
  const rotated = await t.request("/whoami", first);
  equal(await rotated.text(), id);
  const second = t.cookieOf(rotated).split(";")[0];
  notEqual(second, first, "a new token");
  equal(await (await t.request("/whoami", first)).text(), id, "in flight: still good");
  t.clock.advance(ROTATION_GRACE_MS);
  equal(await (await t.request("/whoami", first)).text(), "nobody", "after the grace period: gone");
  equal(await (await t.request("/whoami", second)).text(), id);
  // Unused for its whole lifetime: expired.
  t.clock.advance(SESSION_TTL_MS);
  equal(await (await t.request("/whoami", second)).text(), "nobody");
  t.close();
});

Deno.test("ending a user's sessions revokes every one of them at once", async () => {
  const t = await setup(false);
  const a = await t.request("/start", undefined, "POST");
  const cookieA = t.cookieOf(a).split(";")[0];
  // The same user with a second, rotated session.
  t.clock.advance(ROTATE_AFTER_MS);
  const cookieB = t.cookieOf(await t.request("/whoami", cookieA)).split(";")[0];
  await t.request("/end", cookieB, "POST");
  equal(await (await t.request("/whoami", cookieA)).text(), "nobody");
  equal(await (await t.request("/whoami", cookieB)).text(), "nobody");
  t.close();
});

Deno.test("sessionCookies reads both names, in order, and nothing else", () => {
  equal(sessionCookies(undefined).length, 0);
  equal(sessionCookies("a=1; pdc_sessionx=2; xpdc_session=3").length, 0);
  equal(
    sessionCookies(`pdc_session=a; other=b; ${SECURE_SESSION_COOKIE}=c`).map((c) => c.value).join(),
    "a,c",
  );
});
