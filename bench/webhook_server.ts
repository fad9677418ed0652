/**
 * A webhook server for the benchmark, in its own process:
 *   bare     — Deno.serve answering 200 (the runtime's limit)
 *   verify   — the app's webhook route, verification on, storage off
 *   durable  — the app's real route (group commit)
 * Args: <mode> <db file url>. Prints "PORT <n>" when ready.
 */
import { Hono } from "hono";
import { createApp } from "../backend/app.ts";
import { loadConfig } from "../backend/config.ts";
import { openDatabase } from "../backend/database/db.ts";
import { migrate } from "../backend/database/migrate.ts";
import { appMigrations } from "../backend/database/migrations.ts";
import { insertTrigger } from "../backend/database/triggers.ts";
import { DEFAULT_LIMITS } from "../backend/http/rate_limit.ts";
import { systemClock } from "../backend/lib/clock.ts";
import { createPipedreamClient } from "../backend/pipedream/client.ts";
import { ConnectTokenCache } from "../backend/pipedream/connect_token_cache.ts";
import { createOwnershipCheck } from "../backend/pipedream/ownership.ts";
import { createWebhooks, webhookMigrations } from "../backend/webhooks/mod.ts";
import { createConnectKeyStore } from "../backend/webhooks/connect_key.ts";
import { createRateLimiter } from "../backend/http/rate_limit.ts";

export const BENCH_KEY = "sbx_sec_bench_signing_key";
export const BENCH_DC = "dc_benchdeploy1";

if (import.meta.main) await serve(Deno.args[0], Deno.args[1]);

async function serve(mode: string, dbUrl: string) {
  const listen = (handler: (req: Request) => Response | Promise<Response>) =>
    Deno.serve(
      { port: 0, hostname: "127.0.0.1", onListen: ({ port }) => console.log(`PORT ${port}`) },
      handler,
    );

  if (mode === "bare") {
    listen(() => new Response("ok"));
  } else {
    const config = loadConfig({
      SESSION_SECRET: "bench-session-secret-0123456789abcdef",
      DATABASE_URL: dbUrl,
    });
    const db = await openDatabase(config.databaseUrl);
    await migrate(db, [...appMigrations, ...webhookMigrations]);
    await insertTrigger(db, {
      id: BENCH_DC,
      externalUserId: "u_benchuser00000000000000",
      componentKey: "slack-new-message",
      name: "bench",
      active: true,
      configuredProps: {},
      signingKey: BENCH_KEY,
      createdAt: new Date().toISOString(),
    }).catch(() => {});
    const pipedream = createPipedreamClient({ config, sandboxBaseUrl: "http://127.0.0.1:9/sandbox" });
    if (mode === "durable") {
      const app = createApp({ config, db, pipedream, sessionSecret: config.sessionSecret! });
      listen(app.fetch);
    } else {
      const deps = {
        config,
        db,
        clock: systemClock,
        pipedream,
        limits: DEFAULT_LIMITS,
        spend: createRateLimiter(db, systemClock),
        tokenCache: new ConnectTokenCache(systemClock),
        ownership: createOwnershipCheck(pipedream, systemClock),
        connectKeys: createConnectKeyStore(db, pipedream),
        appOrigin: () => "http://127.0.0.1",
      };
      const app = new Hono().route(
        "/webhooks/pipedream",
        createWebhooks(deps, { storeEvents: false }).routes,
      );
      listen(app.fetch);
    }
  }
}
