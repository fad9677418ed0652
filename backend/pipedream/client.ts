/**
 * Builds the server-side Pipedream client: on the real API with the project's
 * credentials, or on the embedded sandbox with its well-known ones. The same
 * SDK calls run in both modes; only the base URL and credentials differ.
 */
import { PipedreamClient } from "@pipedream/sdk";
import type { Config } from "../config.ts";
import { SANDBOX_CREDENTIALS } from "../sandbox/credentials.ts";

export type PipedreamFetch = typeof fetch;

export type PipedreamClientOptions = {
  config: Config;
  /** Base URL of the sandbox (sandbox mode), e.g. `http://127.0.0.1:8000/sandbox`. */
  sandboxBaseUrl?: string | (() => string);
  fetch?: PipedreamFetch;
  timeoutInSeconds?: number;
};

export function projectIdFor(config: Config): string {
  return config.mode === "live" ? config.live!.projectId : SANDBOX_CREDENTIALS.projectId;
}

export function projectEnvironmentFor(config: Config): "development" | "production" {
  return config.mode === "live" ? config.live!.projectEnvironment : "development";
}

export function createPipedreamClient(opts: PipedreamClientOptions): PipedreamClient {
  const { config } = opts;
  const common = {
    // Retries are ours to decide (see retry.ts): the SDK would otherwise
    // repeat a timed-out actions/run.
    maxRetries: 0,
    timeoutInSeconds: opts.timeoutInSeconds ?? 30,
    projectEnvironment: projectEnvironmentFor(config),
    projectId: projectIdFor(config),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  };
  if (config.mode === "live") {
    const live = config.live!;
    const host = live.apiHost ?? "api.pipedream.com";
    return new PipedreamClient({
      ...common,
      clientId: live.clientId,
      clientSecret: live.clientSecret,
      baseUrl: host.startsWith("http") ? host : `https://${host}`,
    });
  }
  const base = opts.sandboxBaseUrl;
  if (!base) throw new Error("sandbox mode needs sandboxBaseUrl");
  return new PipedreamClient({
    ...common,
    clientId: SANDBOX_CREDENTIALS.clientId,
    clientSecret: SANDBOX_CREDENTIALS.clientSecret,
    baseUrl: typeof base === "string" ? base : base,
  });
}
