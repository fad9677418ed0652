/**
 * Group commit: statements that arrive together share one database commit,
 * and each caller's promise resolves only after the commit that holds its
 * statements. One commit per request caps a durable webhook route at a few
 * thousand events a second; sharing commits lifts that cap without ever
 * acknowledging an event before it is on disk.
 */
import type { InStatement } from "@libsql/client";
import type { Db } from "../database/db.ts";

type Pending = {
  statements: InStatement[];
  /** Housekeeping run once per commit however many requests ask for it (keyed). */
  once?: [string, InStatement];
  resolve: () => void;
  reject: (err: unknown) => void;
};

const MAX_BATCH = 500;

export class GroupCommitter {
  #queue: Pending[] = [];
  #flushing = false;

  constructor(private db: Db) {}

  commit(statements: InStatement[], once?: [string, InStatement]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ statements, once, resolve, reject });
      if (!this.#flushing) this.#flush();
    });
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    // Let the requests already on the event loop join this commit.
    await new Promise((r) => setTimeout(r, 0));
    while (this.#queue.length) {
      const group = this.#queue.splice(0, MAX_BATCH);
      try {
        const once = new Map(group.flatMap((p) => (p.once ? [p.once] : [])));
        await this.db.batch([...group.flatMap((p) => p.statements), ...once.values()], "write");
        for (const p of group) p.resolve();
      } catch (err) {
        // One bad statement must not fail its neighbours: retry each alone.
        if (group.length === 1) group[0].reject(err);
        else {
          for (const p of group) {
            await this.db.batch([...p.statements, ...(p.once ? [p.once[1]] : [])], "write").then(
              p.resolve,
              p.reject,
            );
          }
        }
      }
    }
    this.#flushing = false;
  }
}
