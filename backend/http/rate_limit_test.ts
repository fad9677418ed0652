import { equal, rejects } from "node:assert/strict";
import { openDatabase } from "../database/db.ts";
import { migrate } from "../database/migrate.ts";
import { appMigrations } from "../database/migrations.ts";
import { ManualClock } from "../lib/clock.ts";
import { ApiError } from "./errors.ts";
import { createRateLimiter } from "./rate_limit.ts";

Deno.test("token bucket: burst, refusal with Retry-After, refill over time, per key", async () => {
  const db = await openDatabase(":memory:");
  await migrate(db, appMigrations);
  const clock = new ManualClock();
  const spend = createRateLimiter(db, clock);
  const bucket = { capacity: 3, perMinute: 6 };
  for (let i = 0; i < 3; i++) await spend("actionRuns", bucket, "u1");
  await rejects(spend("actionRuns", bucket, "u1"), (err: ApiError) => {
    equal(err.status, 429);
    equal(err.headers["Retry-After"], "10");
    return true;
  });
  await spend("actionRuns", bucket, "u2"); // another user's bucket is untouched
  clock.advance(10_000);
  await spend("actionRuns", bucket, "u1");
  await rejects(spend("actionRuns", bucket, "u1"));
  db.close();
});
