/**
 * Bounded retries for calls that are safe to repeat (reads and deletes).
 * Never used for actions/run or triggers/deploy: repeating those would run
 * a user's action twice.
 */
import { isPipedreamError } from "./sdk.ts";
import { retryAfterSeconds } from "./upstream_errors.ts";

export type RetryOptions = {
  attempts?: number;
  maxWaitSeconds?: number;
  sleep?: (ms: number) => Promise<void>;
};

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function retryable(err: unknown): boolean {
  if (!isPipedreamError(err)) return false;
  const s = err.statusCode;
  return s === 429 || s === 502 || s === 503 || s === 504 || s === 500;
}

export async function withRetry<T>(fn: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 3;
  const maxWait = opts.maxWaitSeconds ?? 2;
  const sleep = opts.sleep ?? defaultSleep;
  for (let attempt = 1;; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= attempts || !retryable(err)) throw err;
      const after = retryAfterSeconds(err);
      // A server that asks us to wait longer than a browser should hang gets
      // its answer passed on (429 with Retry-After) instead.
      if (after !== undefined && after > maxWait) throw err;
      await sleep(after !== undefined ? after * 1000 : 100 * 2 ** attempt);
    }
  }
}
