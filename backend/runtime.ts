/**
 * Builds the running app from an environment: config, database, migrations,
 * the sandbox (when no credentials are set) and the Pipedream client. Used by
 * the Val Town entry (index.ts), the local runner (main.ts) and the benchmarks.
 */
import { Hono } from "hono";
import { createApp } from "./app.ts";
import { type Config, describeConfig, loadConfig } from "./config.ts";
import { type Db, openDatabase } from "./database/db.ts";
import { migrate } from "./database/migrate.ts";
import { appMigrations } from "./database/migrations.ts";
import { getOrCreateSetting } from "./database/settings.ts";
import { type Clock, systemClock } from "./lib/clock.ts";
import { randomToken } from "./lib/crypto.ts";
import { createPipedreamClient } from "./pipedream/client.ts";
import { recordingFetch } from "./pipedream/call_recorder.ts";
import { currentRequestContext } from "./pipedream/request_context.ts";
import { webhookMigrations } from "./webhooks/mod.ts";
import { createSandbox, type Sandbox } from "./sandbox/mod.ts";

/** Where the sandbox's per-installation client secret is kept (scratchpad/client.ts reads it too). */
export const SANDBOX_SECRET_SETTING = "sandbox_client_secret";

export type Runtime = {
  config: Config;
  db: Db;
  app: ReturnType<typeof createApp>;
  sandbox?: Sandbox;
  close(): Promise<void>;
};

export type RuntimeOptions = {
  clock?: Clock;
  /** Overrides DATABASE_URL (tests use ":memory:"). */
  databaseUrl?: string;
  log?: (line: string) => void;
};

/** In sandbox mode, a generated secret kept in the database; in live mode SESSION_SECRET is expected. */
async function resolveSessionSecret(config: Config, db: Db, log: (l: string) => void): Promise<string> {
  if (config.sessionSecret) return config.sessionSecret;
  if (config.mode === "live") {
    log("SESSION_SECRET is not set: using a generated one kept in the database. Set it to rotate sessions.");
  }
  return await getOrCreateSetting(db, "session_secret", () => randomToken(32));
}

export async function createRuntime(
  env: Record<string, string | undefined>,
  opts: RuntimeOptions = {},
): Promise<Runtime> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const clock = opts.clock ?? systemClock;
  const config = loadConfig(env);
  const db = await openDatabase(opts.databaseUrl ?? config.databaseUrl);
  await migrate(db, [...appMigrations, ...webhookMigrations]);
  const sandboxClientSecret = config.mode === "sandbox"
    ? env.SANDBOX_CLIENT_SECRET ||
      await getOrCreateSetting(db, SANDBOX_SECRET_SETTING, () => `sbx_cs_${randomToken(24)}`)
    : undefined;
  const sandbox = config.mode === "sandbox"
    ? createSandbox({ db, clock, mountPath: "/sandbox", clientSecret: sandboxClientSecret })
    : undefined;
  if (sandbox) await migrate(db, sandbox.migrations);

  let pipedream;
  if (sandbox) {
    // The backend reaches the embedded sandbox in-process: no port to know, so
    // this works on Val Town too. Its base URL carries the request's origin so
    // the links the sandbox returns point at this app.
    const sandboxHost = new Hono().route("/sandbox", sandbox.app);
    const fallbackOrigin = config.appUrl ?? `http://localhost:${config.port}`;
    pipedream = createPipedreamClient({
      config,
      sandboxClientSecret,
      sandboxBaseUrl: () => `${currentRequestContext()?.origin ?? fallbackOrigin}/sandbox`,
      fetch: recordingFetch(
        (input, init) => Promise.resolve(sandboxHost.fetch(new Request(input, init))),
        db,
        clock,
      ),
    });
    sandbox.start();
  } else {
    pipedream = createPipedreamClient({ config, fetch: recordingFetch(fetch, db, clock) });
  }

  const sessionSecret = await resolveSessionSecret(config, db, log);
  const app = createApp({ config, db, clock, pipedream, sandbox, sessionSecret });
  log(`pipedream-connect: ${describeConfig(config)}`);
  return {
    config,
    db,
    app,
    sandbox,
    async close() {
      await sandbox?.close();
      db.close();
    },
  };
}
