import { equal, match, notEqual } from "node:assert/strict";
import { Hono } from "hono";
import {
  newExternalUserId,
  SESSION_COOKIE,
  sessionMiddleware,
  type SessionVars,
  signSession,
  verifySession,
} from "./session.ts";

const SECRET = "s".repeat(40);

Deno.test("a signed cookie verifies to its user id", async () => {
  const id = newExternalUserId();
  equal(await verifySession(SECRET, await signSession(SECRET, id)), id);
});

Deno.test("tampered, truncated, foreign-secret and junk cookies prove nothing", async () => {
  const id = newExternalUserId();
  const good = await signSession(SECRET, id);
  const other = newExternalUserId();
  const cases = [
    good.slice(0, -1),
    good.slice(0, good.indexOf(".")),
    `${other}${good.slice(good.indexOf("."))}`, // another id with this signature
    await signSession("x".repeat(40), id), // signed with another secret
    "",
    "a.b.c",
    `${id}.${"A".repeat(43)}`,
    "x".repeat(5000),
  ];
  for (const c of cases) equal(await verifySession(SECRET, c), undefined, c.slice(0, 40));
});

Deno.test("middleware: new browsers get an HttpOnly SameSite=Lax cookie, Secure only on https", async () => {
  const app = new Hono<{ Variables: SessionVars }>();
  app.use(sessionMiddleware(() => Promise.resolve(SECRET)));
  app.get("/", (c) => c.text(c.get("externalUserId")));

  const res = await app.request("http://localhost/");
  const cookie = res.headers.get("set-cookie")!;
  match(cookie, new RegExp(`^${SESSION_COOKIE}=`));
  match(cookie, /HttpOnly/);
  match(cookie, /SameSite=Lax/);
  equal(/Secure/.test(cookie), false);
  const id = await res.text();

  const again = await app.request("http://localhost/", { headers: { cookie: cookie.split(";")[0] } });
  equal(await again.text(), id);
  equal(again.headers.get("set-cookie"), null);

  const https = await app.request("https://app.example/");
  match(https.headers.get("set-cookie")!, /Secure/);

  const forged = await app.request("http://localhost/", {
    headers: { cookie: `${SESSION_COOKIE}=${id}.forged` },
  });
  notEqual(await forged.text(), id);
});
