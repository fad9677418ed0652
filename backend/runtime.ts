/**
 * Builds the running app from an environment: config, database, migrations,
 * the sandbox (when no credentials are set), the Pipedream client and the
 * app. The one place this wiring is written: the Val Town entry (index.ts),
 * the local runner (main.ts), the test harness, the separate-process test
 * servers and the benchmarks all call createRuntime, each with its overrides.
 */
import { Hono } from "hono";
import { type App, createApp } from "./app.ts";
import { type Config, ConfigError, describeConfig, loadConfig } from "./config.ts";
import { type Db, openDatabase } from "./database/db.ts";
import { createHousekeeping, expireAppRows, type Housekeeping } from "./database/housekeeping.ts";
import { migrate, type Migration } from "./database/migrate.ts";
import { appMigrations } from "./database/migrations.ts";
import { SCHEMA_SNAPSHOT } from "./database/schema_snapshot.ts";
import { getOrCreateSetting } from "./database/settings.ts";
import type { Identify } from "./http/identity.ts";
import { configuredOrigins } from "./http/origin.ts";
import type { LimitOverrides } from "./http/rate_limit.ts";
import { type Clock, systemClock } from "./lib/clock.ts";
import { randomToken } from "./lib/crypto.ts";
import { isLocal, PROJECT_ROOT } from "./lib/files.ts";
import { recordingFetch } from "./pipedream/call_recorder.ts";
import { createPipedreamClient } from "./pipedream/client.ts";
import { inProcessFetch } from "./pipedream/transport.ts";
import { currentRequestContext } from "./pipedream/request_context.ts";
import { recoverTriggerReservations } from "./pipedream/trigger_reservations.ts";
import { createSandbox, type Sandbox, type SandboxOptions } from "./sandbox/mod.ts";
import { sandboxMigrations } from "./sandbox/schema.ts";
import { createRecovery, type Recovery, startRecoveryLoop, webhookMigrations } from "./webhooks/mod.ts";
import { DeliveryJournal } from "./webhooks/delivery_journal.ts";

/** Every table: the app's, the webhook store's, the sandbox's and its catalog apps'. */
export const MIGRATIONS: readonly Migration[] = [
  ...appMigrations,
  ...webhookMigrations,
  ...sandboxMigrations,
];

/** When background work starts if no request has come by then (it starts after the first response). */
const BACKGROUND_AFTER_MS = 1000;

/** Where the sandbox's per-installation client secret is kept (scratchpad/client.ts reads it too). */
export const SANDBOX_SECRET_SETTING = "sandbox_client_secret";

export type Runtime = {
  config: Config;
  db: Db;
  app: App;
  /** The embedded sandbox (sandbox mode only). */
  sandbox?: Sandbox;
  /** Where it listens, when a port was given. */
  url?: string;
  /** Recovery of missed trigger events (run at start and on an interval unless turned off). */
  recovery: Recovery;
  /** Expiry and recovery, run at start and then by requests at most once a minute. */
  housekeeping: Housekeeping;
  close(): Promise<void>;
};

/**
 * How the server-side SDK reaches the embedded sandbox: in process (the
 * default: no port to know, so it works on Val Town), or over real HTTP to a
 * sandbox URL — by default this app's own /sandbox, so tests cross the same
 * wire a deployment does.
 */
export type SandboxTransport = { kind: "in-process" } | { kind: "http"; sandboxUrl?: string };

export type RuntimeOverrides = {
  /** Overrides DATABASE_URL (tests use ":memory:"). */
  databaseUrl?: string;
  transport?: SandboxTransport;
  clock?: Clock;
  /** Serve on 127.0.0.1 at this port (0: a free one); `url` then says where. */
  port?: number;
  limits?: LimitOverrides;
  /** Who is asking: your login instead of the anonymous per-browser session (see http/identity.ts). */
  identify?: Identify;
  /** The server SDK's timeout per request. */
  pipedreamTimeoutSeconds?: number;
  /** The sandbox's backoff between webhook delivery attempts (when its `retry` fault is on). */
  sandboxDeliveryDelaysMs?: number[];
  /** The proxy's response size limit (default 10 MB: routes/proxy.ts). */
  maxProxyResponseBytes?: number;
  /** False: no recovery at start nor on the interval (tests run `recovery` themselves). */
  recoveryLoop?: boolean;
  /** The embedded sandbox's Connect proxy limits (default: 30 s, 10 MB). */
  sandboxProxyLimits?: SandboxOptions["proxyLimits"];
  /** Start-up lines, refused webhooks with their reason, recovery results (default: console). */
  /** How long a request body may stall, and take in all. */
  bodyTimeouts?: { idleMs?: number; totalMs?: number };
  /** The live feed's timing. */
  stream?: { pollMs?: number; heartbeatMs?: number; maxLifetimeMs?: number };
  /** More origins the sandbox may deliver webhooks to (tests put a gate in front of the app). */
  extraDeliveryOrigins?: () => readonly string[];
  log?: (line: string) => void;
};

export async function createRuntime(
  env: Record<string, string | undefined>,
  overrides: RuntimeOverrides = {},
): Promise<Runtime> {
  const log = overrides.log ?? ((l: string) => console.log(l));
  const clock = overrides.clock ?? systemClock;
  const config = loadConfig(env);
  if (env.SESSION_SECRET) {
    log("SESSION_SECRET is no longer used: sessions are kept server-side (reference/security.md). Unset it.");
  }
  const databaseUrl = overrides.databaseUrl ?? config.databaseUrl;
  if (databaseUrl.startsWith("file:") && !isLocal()) {
    throw new ConfigError(
      `DATABASE_URL is ${databaseUrl}, a local file, but this code is served from ${PROJECT_ROOT.origin} ` +
        "(as on Val Town), where there is no local file system: set DATABASE_URL to a libSQL URL " +
        "(libsql://…), or return Val Town's std/sqlite from backend/database/db.ts",
    );
  }
  const db = await openDatabase(databaseUrl);
  await migrate(db, MIGRATIONS, SCHEMA_SNAPSHOT);

  // The app's origins: APP_URL, or the address it listens on (config.port
  // until it listens on a port given here). Never the request's Host.
  let url: string | undefined;
  let origins = configuredOrigins(config, config.port);
  const origin = () => currentRequestContext()?.origin ?? origins[0];

  let sandbox: Sandbox | undefined;
  let pipedream;
  if (config.mode === "sandbox") {
    const clientSecret = env.SANDBOX_CLIENT_SECRET ||
      await getOrCreateSetting(db, SANDBOX_SECRET_SETTING, () => `sbx_cs_${randomToken(24)}`);
    sandbox = createSandbox({
      db,
      clock,
      mountPath: "/sandbox",
      clientSecret,
      deliveryRetryDelaysMs: overrides.sandboxDeliveryDelaysMs,
      proxyLimits: overrides.sandboxProxyLimits,
      // It delivers webhooks and sends users back only to this app.
      appOrigins: () => [...origins, ...overrides.extraDeliveryOrigins?.() ?? []],
    });
    const transport = overrides.transport ?? { kind: "in-process" };
    let sandboxFetch: typeof fetch = fetch;
    if (transport.kind === "in-process") {
      const host = new Hono().route("/sandbox", sandbox.app);
      // Honours the SDK's abort signal, so its timeout applies here too.
      sandboxFetch = inProcessFetch((req) => host.fetch(req));
    }
    pipedream = createPipedreamClient({
      config,
      sandboxClientSecret: clientSecret,
      // Links the sandbox returns must point at where the browser reaches it: the request's origin.
      sandboxBaseUrl: () => (transport.kind === "http" && transport.sandboxUrl) || `${origin()}/sandbox`,
      timeoutInSeconds: overrides.pipedreamTimeoutSeconds,
      fetch: recordingFetch(sandboxFetch, db, clock, "/sandbox"),
    });
  } else {
    pipedream = createPipedreamClient({
      config,
      timeoutInSeconds: overrides.pipedreamTimeoutSeconds,
      fetch: recordingFetch(fetch, db, clock),
    });
  }

  // A database file gets its deliveries through a journal beside it (nothing to write one beside otherwise).
  const deliveryJournal = databaseUrl.startsWith("file:")
    ? new DeliveryJournal({
      dbPath: databaseUrl.slice("file:".length),
      keep: config.eventsKeptPerDeployment,
      log,
    })
    : undefined;
  const recovery = createRecovery({
    db,
    pipedream,
    clock,
    log,
    keepEvents: config.eventsKeptPerDeployment,
    deliveriesSettled: deliveryJournal && (() => deliveryJournal.settled()),
  });
  const housekeeping = createHousekeeping({
    clock,
    log,
    tasks: [
      ["expired rows", (now) => expireAppRows(db, now)],
      ["trigger reservations", () => recoverTriggerReservations({ db, pipedream, clock, log })],
    ],
  });
  const app = createApp({
    config,
    db,
    clock,
    pipedream,
    sandbox,
    origins: () => origins,
    identify: overrides.identify,
    limits: overrides.limits,
    maxProxyResponseBytes: overrides.maxProxyResponseBytes,
    recovery,
    log,
    housekeeping,
    bodyTimeouts: overrides.bodyTimeouts,
    stream: overrides.stream,
    deliveryJournal,
  });
  const server = overrides.port === undefined
    ? undefined
    : Deno.serve({ port: overrides.port, hostname: "127.0.0.1", onListen() {} }, app.fetch);
  if (server) {
    url = `http://127.0.0.1:${server.addr.port}`;
    origins = configuredOrigins(config, server.addr.port);
  }
  log(`pipedream-connect: ${describeConfig(config)}`);
  // Background work starts after the first response, once requests are quiet, or a moment after start when
  // no request comes: on a cold start a request is waiting, and this work (writes; recovery, which may load
  // the SDK and the sandbox's API) would otherwise go first.
  let recoveryLoop: { stop(): Promise<void> } | undefined;
  let started = false;
  const startBackground = () => {
    if (started) return;
    started = true;
    clearTimeout(unanswered);
    sandbox?.start();
    // Deliveries an instance that died had acknowledged but not imported come in.
    deliveryJournal?.start();
    // At start: expired rows go, and deployments a crash left unrecorded are found.
    void housekeeping.run();
    // Pipedream does not retry a failed delivery: read its event log at start
    // and on an interval, so events missed while the app was down come in.
    if (overrides.recoveryLoop !== false) {
      recoveryLoop = startRecoveryLoop(recovery, {
        db,
        clock,
        intervalMs: config.recoveryIntervalSeconds * 1000,
        log,
      });
    }
  };
  const unanswered = setTimeout(startBackground, BACKGROUND_AFTER_MS);
  void app.firstResponse.then(startBackground);
  return {
    config,
    db,
    app,
    sandbox,
    url,
    recovery,
    housekeeping,
    async close() {
      started = true; // not after this
      clearTimeout(unanswered);
      await recoveryLoop?.stop();
      await app.close();
      await housekeeping.settled();
      await sandbox?.close();
      await server?.shutdown();
      await deliveryJournal?.close();
      await db.close();
    },
  };
}
