/**
 * A separate process serving the real app on a file database, for the crash
 * test (it gets kill -9 mid-burst). Prints its port when ready.
 */
import { createRuntime } from "../../runtime.ts";

const runtime = await createRuntime(
  { DATABASE_URL: Deno.args[0] },
  { port: 0, log: () => {} },
);
console.log(`PORT ${new URL(runtime.url!).port}`);
