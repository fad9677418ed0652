/**
 * One app instance in its own process, for tests that kill it (crash_test)
 * or run several on one database (two_instances_test). Argument: JSON `{ env, databaseUrl, limits,
 * startAt }`; it starts at `startAt` (epoch ms), so several processes can
 * start at the same moment. Prints `PORT <n>` once it listens.
 */
import { createRuntime } from "../runtime.ts";

const { env, databaseUrl, limits, startAt } = JSON.parse(Deno.args[0]);
if (startAt) await new Promise((r) => setTimeout(r, Math.max(0, startAt - Date.now())));
const runtime = await createRuntime(env, { databaseUrl, limits, port: 0, log: () => {} });
console.log(`PORT ${new URL(runtime.url!).port}`);
