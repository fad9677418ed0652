import { deepStrictEqual, equal } from "node:assert/strict";
import { ManualClock } from "../lib/clock.ts";
import { MIGRATIONS } from "../runtime.ts";
import { expireSandboxRows, insertDynamicProps, insertOAuthToken } from "../sandbox/store.ts";
import { rememberConnectToken } from "./connect_tokens.ts";
import { openDatabase } from "./db.ts";
import { createHousekeeping, expireAppRows, SDK_CALLS_KEEP_MS } from "./housekeeping.ts";
import { migrate } from "./migrate.ts";
import { createRateLimiter } from "../http/rate_limit.ts";
import { insertSdkCall } from "./sdk_calls.ts";
import { insertSession } from "./sessions.ts";

const count = async (db: Awaited<ReturnType<typeof openDatabase>>, table: string) =>
  Number((await db.execute(`SELECT COUNT(*) AS n FROM ${table}`)).rows[0].n);

Deno.test("storage budgets: what only matters for a while is deleted once it no longer does", async () => {
  const db = await openDatabase(":memory:");
  await migrate(db, MIGRATIONS);
  const clock = new ManualClock();
  const t0 = clock.now();
  const day = 24 * 60 * 60_000;
  await insertSession(db, "a".repeat(43), "u_old", t0, 1000);
  await insertSession(db, "b".repeat(43), "u_new", t0, 30 * day);
  const spend = createRateLimiter(db, clock);
  await spend("actionRuns", { capacity: 2, perMinute: 60 }, "u_old"); // full again one second later
  await spend("actionRuns", { capacity: 100, perMinute: 1 }, "u_new"); // full again in a minute
  await rememberConnectToken(
    db,
    {
      token: "ctok_old",
      externalUserId: "u_old",
      expiresAt: new Date(t0 + 1000).toISOString(),
      webhookSecret: "s",
    },
    t0,
  );
  await insertSdkCall(db, "u_old", {
    at: new Date(t0).toISOString(),
    method: "GET",
    path: "/x",
    status: 200,
    durationMs: 1,
  });
  await insertOAuthToken(db, "sbx_oat_old", t0 + 1000, t0);
  await insertDynamicProps(db, {
    id: "dp_old",
    environment: "development",
    componentKey: "a-b",
    externalUserId: "u_old",
    configuredProps: {},
    createdAt: t0,
  });

  clock.advance(2000);
  await expireAppRows(db, clock.now());
  await expireSandboxRows(db, clock.now());
  equal(await count(db, "sessions"), 1, "the expired session went; the live one stayed");
  equal(await count(db, "rate_limits"), 1, "the full bucket went; the spent one stayed");
  equal(
    await count(db, "connect_tokens"),
    1,
    "a connect token outlives its expiry by an hour (late webhooks)",
  );
  equal(await count(db, "sandbox_oauth_tokens"), 0);
  equal(await count(db, "sdk_calls"), 1, "SDK calls are kept for a day");
  equal(await count(db, "sandbox_dynamic_props"), 1, "dynamic props are kept for a day");

  clock.advance(Math.max(SDK_CALLS_KEEP_MS, day));
  await expireAppRows(db, clock.now());
  await expireSandboxRows(db, clock.now());
  deepStrictEqual(
    [
      await count(db, "sdk_calls"),
      await count(db, "sandbox_dynamic_props"),
      await count(db, "rate_limits"),
      await count(db, "connect_tokens"),
    ],
    [0, 0, 0, 0],
  );
  db.close();
});

Deno.test("housekeeping runs at most once a minute when poked, and a failing task does not stop the others", async () => {
  const clock = new ManualClock();
  const ran: string[] = [];
  const logged: string[] = [];
  const hk = createHousekeeping({
    clock,
    log: (l) => logged.push(l),
    tasks: [
      ["broken", () => Promise.reject(new Error("database is locked"))],
      ["counted", () => Promise.resolve(void ran.push("x"))],
    ],
  });
  await hk.run();
  hk.poke();
  await hk.settled();
  equal(ran.length, 1, "poked within the minute: nothing");
  clock.advance(60_000);
  hk.poke();
  await hk.settled();
  equal(ran.length, 2);
  equal(logged.length, 2);
  equal(logged[0], "housekeeping: broken failed: database is locked");
});
