/**
 * Waiting in tests without guessing how long: `eventually` retries a check
 * until it holds or a deadline passes, then fails with what the check last
 * said. Every wait in the tests goes through here (or through
 * `withDeadline`), so none can hang and none sleeps a fixed time hoping.
 */

export type EventuallyOptions = {
  /** How long the whole wait may take (default 5 s). */
  timeoutMs?: number;
  /**
   * The pause between attempts (default 50 ms), or a list of pauses whose
   * last one repeats: a quick first look, then fewer attempts while the wait
   * goes on (each attempt may cost a browser round trip).
   */
  intervalMs?: number | readonly number[];
  /** What is awaited, for the failure message. */
  what?: string;
};

export class DeadlineExceeded extends Error {
  constructor(what: string, ms: number) {
    super(`${what}: still waiting after ${ms} ms`);
    this.name = "DeadlineExceeded";
  }
}

/** `promise`, or a `DeadlineExceeded` once `deadline` (epoch ms) passes, whichever comes first. */
export async function withDeadline<T>(promise: Promise<T>, deadline: number, what = "a wait"): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const ms = Math.max(0, deadline - Date.now());
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new DeadlineExceeded(what, ms)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Calls `attempt` until it returns something other than `undefined` or
 * `false` without throwing, and returns that. A throw (a failed assertion,
 * say) counts as "not yet". When the time is up, fails with the last throw's
 * message, or the last value. An attempt that itself hangs is cut off at the
 * deadline too.
 */
export async function eventually<T>(
  attempt: () => T | Promise<T>,
  opts: EventuallyOptions = {},
): Promise<Exclude<T, undefined | false>> {
  const { timeoutMs = 5000, intervalMs = 50, what = "the condition" } = opts;
  const deadline = Date.now() + timeoutMs;
  const pauses = typeof intervalMs === "number" ? [intervalMs] : intervalMs;
  let last = "it never returned";
  let cause: unknown;
  for (let n = 0;; n++) {
    try {
      const value = await withDeadline(Promise.resolve().then(attempt), deadline, what);
      if (value !== undefined && value !== false) return value as Exclude<T, undefined | false>;
      last = `it returned ${String(value)}`;
      cause = undefined;
    } catch (err) {
      if (err instanceof DeadlineExceeded) {
        last = "an attempt was still running";
        break;
      }
      last = (err as Error)?.message ?? String(err);
      cause = err;
    }
    const pause = pauses[Math.min(n, pauses.length - 1)];
    if (Date.now() + pause >= deadline) break;
    await new Promise((r) => setTimeout(r, pause));
  }
  throw new Error(`${what} did not hold within ${timeoutMs} ms; last: ${last}`, { cause });
}
