/**
 * What the Pipedream client needs to know about the request it is serving:
 * the app's public origin (the sandbox builds its links from it) and the
 * session user (so the SDK call inspector files each call under its user).
 * AsyncLocalStorage carries it, so route code never threads it by hand.
 */
import { AsyncLocalStorage } from "node:async_hooks";

export type RequestContext = { origin: string; externalUserId?: string };

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithRequestContext<T>(ctx: RequestContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}
