/**
 * What a trigger delivery needs before it can be stored — the deployment,
 * its owner and its signing key, prepared for HMAC — kept for a few seconds,
 * so a burst of deliveries costs one database read instead of one each.
 *
 * - A delete through this instance forgets the deployment at once (the
 *   triggers route calls `forget`), so its next delivery is refused.
 * - A delete through another instance is seen here when the entry expires,
 *   at most `ttlMs` later. Until then this instance still accepts deliveries
 *   signed with the deployment's key: only Pipedream has that key, and it
 *   stops sending once the deployment is deleted there (which comes before
 *   the local delete), so such a delivery was already on its way. It is
 *   stored as it would have been a moment earlier, under a deployment that
 *   no list or stream shows any more.
 * - Unknown ids are not remembered: a deployment recorded just after its
 *   first delivery was refused must be found on the next one, and a wrong id
 *   costs one indexed read and a refusal.
 * - Signing keys never change for a deployment (Pipedream issues one at
 *   deploy), so a cached key is never stale while its deployment lives.
 */
import type { Db } from "../database/db.ts";
import { findTrigger, type TriggerRow } from "../database/triggers.ts";
import type { Clock } from "../lib/clock.ts";
import { HmacSha256Key } from "../lib/crypto.ts";

export type KnownDeployment = { deployment: TriggerRow; key: HmacSha256Key | undefined };

type Entry = { at: number; value: Promise<KnownDeployment | undefined> };

export type DeploymentCacheOptions = { ttlMs?: number; maxEntries?: number };

export class DeploymentCache {
  readonly #entries = new Map<string, Entry>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;

  constructor(private db: Db, private clock: Clock, opts: DeploymentCacheOptions = {}) {
    this.#ttlMs = opts.ttlMs ?? 5_000;
    this.#maxEntries = opts.maxEntries ?? 10_000;
  }

  /** The live deployment with this id, or undefined; concurrent first lookups share one read. */
  get(id: string): Promise<KnownDeployment | undefined> {
    const now = this.clock.now();
    const hit = this.#entries.get(id);
    if (hit && now - hit.at < this.#ttlMs) return hit.value;
    const entry: Entry = { at: now, value: this.#load(id) };
    this.#entries.delete(id);
    if (this.#entries.size >= this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(id, entry);
    entry.value.then((known) => {
      // Not found or failed: not remembered (see above). Only this entry, if still current, is dropped.
      if (!known && this.#entries.get(id) === entry) this.#entries.delete(id);
    }, () => {
      if (this.#entries.get(id) === entry) this.#entries.delete(id);
    });
    return entry.value;
  }

  /** Drops the deployment now (deleted here); a read already under way is not cached either. */
  forget(id: string): void {
    this.#entries.delete(id);
  }

  async #load(id: string): Promise<KnownDeployment | undefined> {
    const deployment = await findTrigger(this.db, id);
    if (!deployment) return undefined;
    return { deployment, key: deployment.signingKey ? new HmacSha256Key(deployment.signingKey) : undefined };
  }
}
