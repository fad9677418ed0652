/**
 * One place that reads the environment. Live mode needs all four Pipedream
 * variables; with none of them the app runs on its embedded sandbox; with only
 * some, starting would half-work against the real API, so it refuses.
 */
import { BROWSER_CONNECT_TOKEN_SCOPE, invalidConnectTokenScope } from "./pipedream/connect_token_scope.ts";

export const LIVE_VARIABLES = [
  "PIPEDREAM_CLIENT_ID",
  "PIPEDREAM_CLIENT_SECRET",
  "PIPEDREAM_PROJECT_ID",
  "PIPEDREAM_PROJECT_ENVIRONMENT",
] as const;

/*
 * The environment is read by hand rather than with a zod schema: it is read
 * before anything else at every start, and zod is among the largest modules
 * the server loads (lib/lazy.ts). Each reader notes what is wrong in
 * `problems`; loadConfig reports them all at once.
 */
type Env = Record<string, string | undefined>;

/** A variable's value; blank counts as unset. */
function text(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === "" ? undefined : value;
}

type Range = { min: number; max: number; fallback: number; of?: string };

/** The whole-number settings: their range, their default, and what they count. */
const WHOLE_NUMBERS = {
  PORT: { min: 0, max: 65535, fallback: 8000 },
  MAX_TRIGGERS_PER_USER: { min: 1, max: 10_000, fallback: 20, of: "triggers" },
  MAX_TRIGGERS_TOTAL: { min: 1, max: 1_000_000, fallback: 1000, of: "triggers" },
  TRUST_PROXY_HOPS: { min: 0, max: 5, fallback: 0, of: "proxies" },
  EVENT_RECOVERY_SECONDS: { min: 0, max: 86_400, fallback: 60, of: "seconds" },
  EVENTS_KEPT_PER_DEPLOYMENT: { min: 10, max: 10_000_000, fallback: 1000, of: "events" },
} satisfies Record<string, Range>;

function wholeNumber(env: Env, problems: string[], name: keyof typeof WHOLE_NUMBERS): number {
  const range: Range = WHOLE_NUMBERS[name];
  const value = text(env, name)?.trim();
  if (value === undefined) return range.fallback;
  const n = Number(value);
  if (/^-?\d+$/.test(value) && n >= range.min && n <= range.max) return n;
  problems.push(
    `${name} must be a whole number${range.of ? ` of ${range.of}` : ""} from ${range.min} to ${range.max}`,
  );
  return range.fallback;
}

/** APP_URL as an origin (scheme, host and port), or undefined when unset. */
function appOrigin(env: Env, problems: string[]): string | undefined {
  const value = text(env, "APP_URL");
  if (value === undefined) return undefined;
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || !/^https?:$/.test(url.protocol) || !url.hostname) {
    problems.push("APP_URL must be an absolute http(s) URL");
  } else if (url.pathname !== "/" || url.search || url.hash || url.username || url.password) {
    problems.push("APP_URL must be an origin only (scheme, host and port), like https://connect.example.com");
  } else return url.origin;
  return undefined;
}

function projectEnvironment(env: Env, problems: string[]): "development" | "production" | undefined {
  const value = text(env, "PIPEDREAM_PROJECT_ENVIRONMENT");
  if (value === undefined || value === "development" || value === "production") return value;
  problems.push('PIPEDREAM_PROJECT_ENVIRONMENT must be "development" or "production"');
  return undefined;
}

/** A Connect token scope, spaces normalised, when it is one Pipedream documents. */
function connectTokenScope(env: Env, problems: string[]): string | undefined {
  const value = text(env, "PIPEDREAM_CONNECT_TOKEN_SCOPE");
  if (value === undefined) return undefined;
  const why = value.length > 1000 ? "must be at most 1000 characters" : invalidConnectTokenScope(value);
  if (why) problems.push(`PIPEDREAM_CONNECT_TOKEN_SCOPE: ${why}`);
  return value.trim().split(/\s+/).join(" ");
}

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
export function loadConfig(env: Env): Config {
  const problems: string[] = [];
  const base = {
    appUrl: appOrigin(env, problems),
    databaseUrl: text(env, "DATABASE_URL") ?? "file:data/app.db",
    port: wholeNumber(env, problems, "PORT"),
    maxTriggersPerUser: wholeNumber(env, problems, "MAX_TRIGGERS_PER_USER"),
    maxTriggersTotal: wholeNumber(env, problems, "MAX_TRIGGERS_TOTAL"),
    trustProxyHops: wholeNumber(env, problems, "TRUST_PROXY_HOPS"),
    connectWebhookSigningKey: text(env, "PIPEDREAM_WEBHOOK_SIGNING_KEY"),
    connectTokenScope: connectTokenScope(env, problems),
    recoveryIntervalSeconds: wholeNumber(env, problems, "EVENT_RECOVERY_SECONDS"),
    eventsKeptPerDeployment: wholeNumber(env, problems, "EVENTS_KEPT_PER_DEPLOYMENT"),
  };
  const environment = projectEnvironment(env, problems);
  if (problems.length) throw new ConfigError(problems.join("; "));
  const present = LIVE_VARIABLES.filter((k) => text(env, k) !== undefined);
  if (present.length > 0 && present.length < LIVE_VARIABLES.length) {
    const missing = LIVE_VARIABLES.filter((k) => text(env, k) === undefined);
    throw new ConfigError(
      `Live mode needs all of ${LIVE_VARIABLES.join(", ")}; missing: ${missing.join(", ")}. ` +
        "Unset them all to run on the sandbox.",
    );
  }
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
      clientId: text(env, "PIPEDREAM_CLIENT_ID")!,
      clientSecret: text(env, "PIPEDREAM_CLIENT_SECRET")!,
      projectId: text(env, "PIPEDREAM_PROJECT_ID")!,
      projectEnvironment: environment!,
      apiHost: text(env, "PIPEDREAM_API_HOST"),
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
