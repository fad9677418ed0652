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

let loaded: typeof Sdk | undefined;

/**
 * The SDK, loaded on first use or when the app warms what it loads after
 * start; outside any request's context, as everything lazy.ts loads (it is
 * for every later request, not the one that happens to ask first).
 */
export const loadSdk = lazy(() => import("@pipedream/sdk").then((sdk) => (loaded = sdk)));

export function isPipedreamError(err: unknown): err is Sdk.PipedreamError {
  return loaded !== undefined && err instanceof loaded.PipedreamError;
}

export function isPipedreamTimeoutError(err: unknown): err is Sdk.PipedreamTimeoutError {
  return loaded !== undefined && err instanceof loaded.PipedreamTimeoutError;
}
