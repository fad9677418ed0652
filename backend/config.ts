/**
 * One place that reads the environment. Live mode needs all four Pipedream
 * variables; with none of them the app runs on its embedded sandbox; with only
 * some, starting would half-work against the real API, so it refuses.
 */
import { z } from "zod";
import { BROWSER_CONNECT_TOKEN_SCOPE, invalidConnectTokenScope } from "./pipedream/connect_token_scope.ts";

export const LIVE_VARIABLES = [
  "PIPEDREAM_CLIENT_ID",
  "PIPEDREAM_CLIENT_SECRET",
  "PIPEDREAM_PROJECT_ID",
  "PIPEDREAM_PROJECT_ENVIRONMENT",
] as const;

const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());

const EnvSchema = z.object({
  PIPEDREAM_CLIENT_ID: optionalString,
  PIPEDREAM_CLIENT_SECRET: optionalString,
  PIPEDREAM_PROJECT_ID: optionalString,
  PIPEDREAM_PROJECT_ENVIRONMENT: z.preprocess(
    emptyToUndefined,
    z.enum(["development", "production"], {
      message: 'PIPEDREAM_PROJECT_ENVIRONMENT must be "development" or "production"',
    }).optional(),
  ),
  PIPEDREAM_API_HOST: optionalString,
  APP_URL: z.preprocess(
    emptyToUndefined,
    z.url({ protocol: /^https?$/, message: "APP_URL must be an absolute http(s) URL" })
      .refine((u) => {
        if (!URL.canParse(u)) return true; // reported by z.url
        const url = new URL(u);
        return url.pathname === "/" && !url.search && !url.hash && !url.username && !url.password;
      }, "APP_URL must be an origin only (scheme, host and port), like https://connect.example.com")
      .optional(),
  ),
  DATABASE_URL: z.preprocess(emptyToUndefined, z.string().default("file:data/app.db")),
  PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(8000)),
  PIPEDREAM_WEBHOOK_SIGNING_KEY: optionalString,
  PIPEDREAM_CONNECT_TOKEN_SCOPE: z.preprocess(
    emptyToUndefined,
    z.string().max(1000).superRefine((v, ctx) => {
      const why = invalidConnectTokenScope(v);
      if (why) ctx.addIssue({ code: "custom", message: `PIPEDREAM_CONNECT_TOKEN_SCOPE: ${why}` });
    }).optional(),
  ),
  MAX_TRIGGERS_PER_USER: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(1).max(10_000).default(20),
  ),
  EVENTS_KEPT_PER_DEPLOYMENT: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ message: "EVENTS_KEPT_PER_DEPLOYMENT must be a number" }).int().min(10).max(10_000_000)
      .default(1000),
  ),
  EVENT_RECOVERY_SECONDS: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ message: "EVENT_RECOVERY_SECONDS must be a number of seconds" }).int()
      .min(0).max(86_400).default(60),
  ),
  MAX_TRIGGERS_TOTAL: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(1).max(1_000_000).default(1000),
  ),
  TRUST_PROXY_HOPS: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ message: "TRUST_PROXY_HOPS must be a number of proxies (0 to 5)" }).int().min(0).max(5)
      .default(0),
  ),
});

export type LiveCredentials = {
  clientId: string;
  clientSecret: string;
  projectId: string;
  projectEnvironment: "development" | "production";
  apiHost?: string;
};

export type Config = {
  mode: "sandbox" | "live";
  live?: LiveCredentials;
  /**
   * The app's public origin. Required in live mode; in sandbox mode the app
   * is reached at the address it listens on (see http/origin.ts).
   */
  appUrl?: string;
  databaseUrl: string;
  port: number;
  maxTriggersPerUser: number;
  /** Deployed triggers of all users together: what one installation keeps running. */
  maxTriggersTotal: number;
  /**
   * How many proxies in front of the app append to X-Forwarded-For. 0: the
   * client address is the connection's, and the header is ignored.
   */
  trustProxyHops: number;
  /**
   * The project's webhook signing key (PIPEDREAM_WEBHOOK_SIGNING_KEY): when
   * set, a Connect webhook that carries a signature must verify with it.
   * The app never generates or rotates it.
   */
  connectWebhookSigningKey?: string;
  /** The `scope` of the Connect tokens minted for browsers (default: pipedream/connect_token_scope.ts). */
  connectTokenScope?: string;
  /** How often missed trigger events are recovered from Pipedream's log; 0: only at start and on demand. */
  recoveryIntervalSeconds: number;
  /** Received events kept per deployment, newest first (older ones are trimmed: webhooks/store.ts). */
  eventsKeptPerDeployment: number;
};

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses an environment (a plain record, so tests need no real env). */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => i.message).join("; "));
  }
  const e = parsed.data;
  const present = LIVE_VARIABLES.filter((k) => e[k] !== undefined);
  if (present.length > 0 && present.length < LIVE_VARIABLES.length) {
    const missing = LIVE_VARIABLES.filter((k) => e[k] === undefined);
    throw new ConfigError(
      `Live mode needs all of ${LIVE_VARIABLES.join(", ")}; missing: ${missing.join(", ")}. ` +
        "Unset them all to run on the sandbox.",
    );
  }
  const base = {
    appUrl: e.APP_URL ? new URL(e.APP_URL).origin : undefined,
    databaseUrl: e.DATABASE_URL,
    port: e.PORT,
    maxTriggersPerUser: e.MAX_TRIGGERS_PER_USER,
    maxTriggersTotal: e.MAX_TRIGGERS_TOTAL,
    trustProxyHops: e.TRUST_PROXY_HOPS,
    connectWebhookSigningKey: e.PIPEDREAM_WEBHOOK_SIGNING_KEY,
    connectTokenScope: e.PIPEDREAM_CONNECT_TOKEN_SCOPE?.trim().split(/\s+/).join(" "),
    recoveryIntervalSeconds: e.EVENT_RECOVERY_SECONDS,
    eventsKeptPerDeployment: e.EVENTS_KEPT_PER_DEPLOYMENT,
  };
  if (!base.appUrl && env.VALTOWN_ENTRYPOINT) {
    // Val Town serves the val at its own URL, with no port to know.
    throw new ConfigError("On Val Town, set APP_URL to this val's URL (https://<name>.web.val.run).");
  }
  if (present.length === 0) return { mode: "sandbox", ...base };
  if (!base.appUrl) {
    // Webhook URLs, allowed origins and redirects are built from it; taking
    // them from the request would let any client choose them.
    throw new ConfigError(
      "Live mode needs APP_URL: the public origin of this app (https://…), where Pipedream sends webhooks.",
    );
  }
  return {
    mode: "live",
    live: {
      clientId: e.PIPEDREAM_CLIENT_ID!,
      clientSecret: e.PIPEDREAM_CLIENT_SECRET!,
      projectId: e.PIPEDREAM_PROJECT_ID!,
      projectEnvironment: e.PIPEDREAM_PROJECT_ENVIRONMENT!,
      apiHost: e.PIPEDREAM_API_HOST,
    },
    ...base,
  };
}

/** What may be logged about a config: never a secret. */
export function describeConfig(config: Config): string {
  if (config.mode === "sandbox") {
    return "mode=sandbox (no PIPEDREAM_* variables set: using the embedded Pipedream sandbox at /sandbox)";
  }
  const live = config.live!;
  return `mode=live project=${live.projectId} environment=${live.projectEnvironment} api=${
    live.apiHost ?? "api.pipedream.com"
  } connect-token-scope="${
    config.connectTokenScope ?? BROWSER_CONNECT_TOKEN_SCOPE
  }" (accounts and triggers of the other project environment are not visible here)`;
}
