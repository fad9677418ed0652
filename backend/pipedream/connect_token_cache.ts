/**
 * Connect tokens are reused per user until near expiry, so a page load does
 * not mint one per call. A token spent on a connection is dropped (the
 * Connect webhook, or the browser asking for a fresh one after connecting).
 * It is a cache only: separate instances each keep their own, harmlessly.
 */
import type { ConnectTokenResponse } from "../../shared/api.ts";
import type { Clock } from "../lib/clock.ts";

const REUSE_MARGIN_MS = 5 * 60_000;
const MAX_USERS = 10_000;

export class ConnectTokenCache {
  #byUser = new Map<string, ConnectTokenResponse>();
  constructor(private clock: Clock) {}

  get(externalUserId: string): ConnectTokenResponse | undefined {
    const t = this.#byUser.get(externalUserId);
    if (!t) return undefined;
    if (Date.parse(t.expiresAt) - this.clock.now() < REUSE_MARGIN_MS) {
      this.#byUser.delete(externalUserId);
      return undefined;
    }
    return t;
  }

  set(externalUserId: string, token: ConnectTokenResponse): void {
    if (this.#byUser.size >= MAX_USERS) this.#byUser.delete(this.#byUser.keys().next().value!);
    this.#byUser.set(externalUserId, token);
  }

  /** Drops a spent token, by user or by its value. */
  invalidate(externalUserId: string, token?: string): void {
    const t = this.#byUser.get(externalUserId);
    if (t && (token === undefined || t.token === token)) this.#byUser.delete(externalUserId);
  }
}
