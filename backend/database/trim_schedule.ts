/**
 * When to trim a bounded log (events per deployment, SDK calls per user) to
 * its newest `keep` rows. A trim walks `keep` index entries whatever it
 * deletes, so instead of with every commit it runs with the commit of every
 * `keep / 10`th row this instance stores under a key: a key holds its newest
 * `keep` rows just after a trim, and at most `keep / 10` more per instance
 * between trims.
 */
import type { Once } from "./group_commit.ts";

const MAX_KEYS = 10_000;

export class TrimSchedule {
  readonly every: number;
  readonly #since = new Map<string, number>();

  constructor(readonly keep: number, private trim: (key: string, keep: number) => Once) {
    this.every = Math.max(1, Math.ceil(keep / 10));
  }

  /** Counts one row stored under `key`; the trim to commit with it, when one is due. */
  stored(key: string): Once | undefined {
    const n = (this.#since.get(key) ?? 0) + 1;
    if (n < this.every) {
      // Bounded: forgetting the counts only delays trims.
      if (!this.#since.has(key) && this.#since.size >= MAX_KEYS) this.#since.clear();
      this.#since.set(key, n);
      return undefined;
    }
    this.#since.delete(key);
    return this.trim(key, this.keep);
  }
}
