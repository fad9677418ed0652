/**
 * Many deadlines on one timer. Deno's setTimeout makes a Node-style Timeout
 * object per call, which costs a webhook delivery microseconds to arm and
 * clear for a deadline that almost never fires; here a deadline is an entry
 * in a set, and one timer is armed for the earliest. A deadline that is
 * cancelled leaves the timer as it is: when it fires, it expires what is due
 * and is armed again for the next one, or stops. The timer does not keep the
 * process alive.
 */
type Entry = { at: number; expire: () => void };

export class Deadlines {
  #pending = new Set<Entry>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Infinity;

  /** Calls `expire` in `ms` unless the returned function is called first. */
  add(ms: number, expire: () => void): () => void {
    const entry = { at: performance.now() + ms, expire };
    this.#pending.add(entry);
    if (entry.at < this.#timerAt) this.#arm(entry.at);
    return () => this.#pending.delete(entry);
  }

  #arm(at: number): void {
    clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, at - performance.now()));
    Deno.unrefTimer(this.#timer);
  }

  #fire(): void {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    const now = performance.now();
    let next = Infinity;
    for (const entry of this.#pending) {
      if (entry.at <= now) {
        this.#pending.delete(entry);
        entry.expire();
      } else next = Math.min(next, entry.at);
    }
    if (next < Infinity) this.#arm(next);
  }
}
