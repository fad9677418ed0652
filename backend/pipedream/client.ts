/**
 * Builds the server-side Pipedream client: on the real API with the project's
 * credentials, or on the embedded sandbox with its well-known ones. The same
 * SDK calls run in both modes; only the base URL and credentials differ.
 */
import type { PipedreamClient } from "@pipedream/sdk";
import type { Config } from "../config.ts";
import { SANDBOX_CREDENTIALS } from "../sandbox/credentials.ts";
import { outsideRequestContext } from "./request_context.ts";
import { loadSdk } from "./sdk.ts";
import { pipedreamTransport } from "./transport.ts";

export type PipedreamFetch = typeof fetch;

export type PipedreamClientOptions = {
  config: Config;
  /** Base URL of the sandbox (sandbox mode), e.g. `http://127.0.0.1:8000/sandbox`. */
  sandboxBaseUrl?: string | (() => string);
  /** The sandbox's client secret (the app's per-installation one; default: the well-known one). */
  sandboxClientSecret?: string;
  fetch?: PipedreamFetch;
  timeoutInSeconds?: number;
};

export function projectIdFor(config: Config): string {
  return config.mode === "live" ? config.live!.projectId : SANDBOX_CREDENTIALS.projectId;
}

/** The live API's base URL: PIPEDREAM_API_HOST (a host, or a URL with its scheme) or Pipedream's. */
export function liveApiBaseUrl(config: Config): string {
  const host = config.live?.apiHost ?? "api.pipedream.com";
  return /^https?:\/\//.test(host) ? host.replace(/\/+$/, "") : `https://${host}`;
}

export function projectEnvironmentFor(config: Config): "development" | "production" {
  return config.mode === "live" ? config.live!.projectEnvironment : "development";
}

type Transport = { fetch: typeof fetch; maxRetries: number; timeoutInSeconds: number };
type Internals = {
  _options: Record<string, unknown>;
  _tokenProvider?: { _authClient?: { _options?: Record<string, unknown> } };
};

/**
 * The exported PipedreamClient (the SDK's wrapper class) takes only the base
 * URL, credentials, headers and environment, although the client underneath
 * supports a custom fetch, retries and timeouts. They are set here, on the
 * options every sub-client is built from (lazily, on first use), and on the
 * OAuth token client. Tests prove each one still takes effect: no retried
 * actions/run, timeouts, and the SDK call recorder seeing every call.
 */
function configureTransport(client: PipedreamClient, t: Transport): PipedreamClient {
  const internals = client as unknown as Internals;
  const normalizedFetch = (client.constructor as unknown as {
    fetchWithNormalizedPath(f: typeof fetch): typeof fetch;
  }).fetchWithNormalizedPath(t.fetch);
  for (const options of [internals._options, internals._tokenProvider?._authClient?._options]) {
    if (!options) continue;
    options.fetch = normalizedFetch;
    options.maxRetries = t.maxRetries;
    options.timeoutInSeconds = t.timeoutInSeconds;
  }
  return client;
}

/**
 * The client, usable at once though the SDK loads only when first called
 * (sdk.ts): until then each resource is a stand-in whose methods wait for
 * the SDK and call the real one; once loaded, the real resources are handed
 * out, and nothing stands in between.
 */
export function createPipedreamClient(opts: PipedreamClientOptions): PipedreamClient {
  if (opts.config.mode === "sandbox" && !opts.sandboxBaseUrl) {
    throw new Error("sandbox mode needs sandboxBaseUrl");
  }
  let client: PipedreamClient | undefined;
  // Built outside the request that first needs it: the SDK keeps state made at construction (its
  // token provider, its fetcher) and async work begun there, which would go on in that request's context.
  const ready = () =>
    loadSdk().then((sdk) => client ??= outsideRequestContext(() => buildClient(sdk.PipedreamClient, opts)));
  return new Proxy({} as PipedreamClient, {
    get(_, resource: keyof PipedreamClient) {
      if (client) return client[resource];
      return new Proxy({}, {
        get: (_, method: string) => (...args: unknown[]) => deferredCall(ready(), resource, method, args),
      });
    },
  });
}

/**
 * A call made before the SDK loaded: a promise of its result that also
 * answers `withRawResponse()`, as the SDK's own calls do. Nothing is run
 * for a form the caller does not use, so no rejection goes unhandled.
 */
function deferredCall(
  client: Promise<PipedreamClient>,
  resource: PropertyKey,
  method: string,
  args: unknown[],
) {
  // Boxed, so awaiting it does not unwrap the SDK's promise before withRawResponse can be asked for.
  let call: Promise<{ result: { withRawResponse(): Promise<unknown> } & PromiseLike<unknown> }> | undefined;
  const made = () =>
    call ??= client.then((c) => {
      const target =
        (c as unknown as Record<PropertyKey, Record<string, (...a: unknown[]) => never>>)[resource];
      return { result: target[method](...args) };
    });
  const value = () => made().then(({ result }) => result);
  return {
    then: (ok?: (v: unknown) => unknown, fail?: (e: unknown) => unknown) => value().then(ok, fail),
    catch: (fail: (e: unknown) => unknown) => value().catch(fail),
    finally: (f: () => void) => value().finally(f),
    withRawResponse: () => made().then(({ result }) => result.withRawResponse()),
  };
}

function buildClient(
  SdkClient: typeof import("@pipedream/sdk").PipedreamClient,
  opts: PipedreamClientOptions,
): PipedreamClient {
  const { config } = opts;
  const transport: Transport = {
    fetch: pipedreamTransport(opts.fetch ?? ((input, init) => fetch(input, init))),
    // Retries are ours to decide (see retry.ts): the SDK would otherwise
    // repeat a timed-out actions/run.
    maxRetries: 0,
    // Pipedream ends a proxied request after 30 s with a 504 (docs:
    // connect/api-proxy, "Limits"); nothing the app calls should take longer.
    timeoutInSeconds: opts.timeoutInSeconds ?? 30,
  };
  const common = {
    projectEnvironment: projectEnvironmentFor(config),
    projectId: projectIdFor(config),
  };
  if (config.mode === "live") {
    const live = config.live!;
    return configureTransport(
      new SdkClient({
        ...common,
        clientId: live.clientId,
        clientSecret: live.clientSecret,
        baseUrl: liveApiBaseUrl(config),
      }),
      transport,
    );
  }
  const base = opts.sandboxBaseUrl!;
  return configureTransport(
    new SdkClient({
      ...common,
      clientId: SANDBOX_CREDENTIALS.clientId,
      clientSecret: opts.sandboxClientSecret ?? SANDBOX_CREDENTIALS.clientSecret,
      baseUrl: base,
    }),
    transport,
  );
}
