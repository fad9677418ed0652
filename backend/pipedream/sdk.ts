/**
 * The Pipedream SDK, loaded when first needed. It is one of the largest
 * modules the server loads, and the first requests after a start (the page,
 * the session) need none of it: on Val Town every start is a user waiting.
 *
 * Its error classes are checked through here: before the SDK is loaded no
 * SDK call has been made, so no error can be one of its own.
 */
import type * as Sdk from "@pipedream/sdk";
import { lazy } from "../lib/lazy.ts";
import { outsideRequestContext } from "./request_context.ts";

let loaded: typeof Sdk | undefined;

/** The SDK, loaded on first use (lib/lazy.ts), or when the app warms what it loads after start. */
export const loadSdk = lazy(() =>
  // Loaded for every later request, not the one that happens to ask first (request_context.ts).
  outsideRequestContext(() => import("@pipedream/sdk").then((sdk) => (loaded = sdk)))
);

export function isPipedreamError(err: unknown): err is Sdk.PipedreamError {
  return loaded !== undefined && err instanceof loaded.PipedreamError;
}

export function isPipedreamTimeoutError(err: unknown): err is Sdk.PipedreamTimeoutError {
  return loaded !== undefined && err instanceof loaded.PipedreamTimeoutError;
}
