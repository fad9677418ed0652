/**
 * The app for the event-stream benchmark, in its own process (so its CPU can
 * be read from /proc): a file database, each request's user named by an
 * `x-bench-user` header (a login standing in for sessions, so a thousand
 * streams are a thousand users), and stream limits raised to let a thousand
 * open at once. Args: <db file url>. Prints "PORT <n>" when ready.
 */
import { createRuntime } from "../backend/runtime.ts";

const MANY = { capacity: 1e9, perMinute: 1e9 };

if (import.meta.main) {
  const runtime = await createRuntime({ DATABASE_URL: Deno.args[0] }, {
    port: 0,
    log: () => {},
    identify: (c) => {
      const user = c.req.header("x-bench-user");
      return Promise.resolve(user ? { externalUserId: user } : undefined);
    },
    limits: {
      streamOpens: MANY,
      perAddress: { streamOpens: MANY },
      streams: { perSession: 10_000, perAddress: 10_000, perInstance: 10_000 },
    },
  });
  console.log(`PORT ${new URL(runtime.url!).port}`);
}
