/**
 * A webhook server for the benchmark, in its own process:
 *   bare     — Deno.serve answering 200 (the load generator's ceiling)
 *   anchor   — a minimal Hono route that verifies and parses, storing nothing
 *              (verify_only_receiver.ts)
 *   durable  — the app itself, as createRuntime builds it (delivery journal)
 * Args: <mode> <db file url> <events kept per deployment>. Prints "PORT <n>" when ready.
 */
import { insertTrigger, isRecordedTrigger } from "../backend/database/triggers.ts";
import { createRuntime } from "../backend/runtime.ts";
import { verifyOnlyReceiver } from "./verify_only_receiver.ts";
import { BENCH_TARGET } from "./webhook_target.ts";

const listen = (handler: (req: Request) => Response | Promise<Response>) =>
  Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: ({ port }) => console.log(`PORT ${port}`) },
    handler,
  );

async function serve(mode: string, dbUrl: string, keep: string) {
  if (mode === "bare") listen(() => new Response("ok"));
  else if (mode === "anchor") listen(verifyOnlyReceiver(BENCH_TARGET.key).fetch);
  else if (mode === "durable") {
    const runtime = await createRuntime({
      DATABASE_URL: dbUrl,
      // Sized for the run, so every acknowledged event can be checked afterwards.
      EVENTS_KEPT_PER_DEPLOYMENT: keep,
    }, { port: 0, log: () => {} });
    // Started again on the same database (the benchmark kills it and restarts it), the deployment is there.
    if (!(await isRecordedTrigger(runtime.db, BENCH_TARGET.deploymentId))) {
      await insertTrigger(runtime.db, {
        id: BENCH_TARGET.deploymentId,
        externalUserId: BENCH_TARGET.externalUserId,
        componentKey: "slack-new-message",
        name: "bench",
        active: true,
        configuredProps: {},
        signingKey: BENCH_TARGET.key,
        createdAt: new Date().toISOString(),
      });
    }
    console.log(`PORT ${new URL(runtime.url!).port}`);
  } else throw new Error(`unknown mode ${mode}`);
}

if (import.meta.main) await serve(Deno.args[0], Deno.args[1], Deno.args[2] ?? "1000");
