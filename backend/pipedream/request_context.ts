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

/**
 * Runs `fn` outside any request's context: for work started by one request
 * on behalf of all the later ones (loading a module), which must not keep
 * that request's context (a module's own lazy state would carry it on).
 */
export function outsideRequestContext<T>(fn: () => T): T {
  // run(undefined), not exit(): Deno's exit() hides the context from synchronous code only, and what
  // fn starts asynchronously would still run in it.
  return storage.run(undefined as unknown as RequestContext, fn);
}
