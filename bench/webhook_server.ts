/**
 * A webhook server for the benchmark, in its own process:
 *   bare     — Deno.serve answering 200 (the runtime's limit)
 *   verify   — verification without storage (verify_only_receiver.ts)
 *   durable  — the app itself, as createRuntime builds it (group commit)
 * Args: <mode> <db file url>. Prints "PORT <n>" when ready.
 */
import { loadConfig } from "../backend/config.ts";
import { openDatabase } from "../backend/database/db.ts";
import { migrate } from "../backend/database/migrate.ts";
import { insertTrigger } from "../backend/database/triggers.ts";
import { systemClock } from "../backend/lib/clock.ts";
import { createRuntime, MIGRATIONS } from "../backend/runtime.ts";
import { verifyOnlyReceiver } from "./verify_only_receiver.ts";
import { BENCH_TARGET } from "./webhook_target.ts";

const listen = (handler: (req: Request) => Response | Promise<Response>) =>
  Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: ({ port }) => console.log(`PORT ${port}`) },
    handler,
  );

async function serve(mode: string, dbUrl: string) {
  if (mode === "bare") {
    listen(() => new Response("ok"));
    return;
  }
  const trigger = {
    id: BENCH_TARGET.deploymentId,
    externalUserId: BENCH_TARGET.externalUserId,
    componentKey: "slack-new-message",
    name: "bench",
    active: true,
    configuredProps: {},
    signingKey: BENCH_TARGET.key,
    createdAt: new Date().toISOString(),
  };
  const env = { SESSION_SECRET: "bench-session-secret-0123456789abcdef", DATABASE_URL: dbUrl };
  if (mode === "durable") {
    const runtime = await createRuntime(env, { port: 0, log: () => {} });
    await insertTrigger(runtime.db, trigger);
    console.log(`PORT ${new URL(runtime.url!).port}`);
  } else {
    const db = await openDatabase(dbUrl);
    await migrate(db, MIGRATIONS);
    await insertTrigger(db, trigger);
    listen(verifyOnlyReceiver(db, loadConfig(env), systemClock).fetch);
  }
}

if (import.meta.main) await serve(Deno.args[0], Deno.args[1]);
