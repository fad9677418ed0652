/**
 * Which accounts a user owns, for the check that props name only the user's
 * own accounts. Confirmed ownership is remembered briefly per user, so a run
 * does not wait for an account listing every time; an unknown id always
 * triggers a fresh listing, and a disconnect through the app forgets the user.
 * (Pipedream checks ownership again on every run: this is defence in depth.)
 */
import type { PipedreamClient } from "@pipedream/sdk";
import { ApiError } from "../http/errors.ts";
import type { Clock } from "../lib/clock.ts";
import { listUserAccounts, referencedAccountIds } from "./accounts.ts";

const TTL_MS = 30_000;
const MAX_USERS = 10_000;

export function createOwnershipCheck(pd: PipedreamClient, clock: Clock) {
  const known = new Map<string, { at: number; ids: Set<string> }>();

  async function owned(userId: string, fresh: boolean): Promise<Set<string>> {
    const hit = known.get(userId);
    if (hit && !fresh && clock.now() - hit.at < TTL_MS) return hit.ids;
    const ids = new Set((await listUserAccounts(pd, userId)).map((a) => a.id));
    if (known.size >= MAX_USERS) known.delete(known.keys().next().value!);
    known.set(userId, { at: clock.now(), ids });
    return ids;
  }

  return {
    /** Throws 404 (as for a missing account) when the props name an account the user does not own. */
    async assertOwns(userId: string, props: unknown): Promise<void> {
      const ids = referencedAccountIds(props);
      if (ids.size === 0) return;
      let own = await owned(userId, false);
      if ([...ids].some((id) => !own.has(id))) own = await owned(userId, true);
      for (const id of ids) {
        if (!own.has(id)) throw new ApiError(404, "not_found", `Account ${id} not found`);
      }
    },
    forget(userId: string): void {
      known.delete(userId);
    },
  };
}
export type OwnershipCheck = ReturnType<typeof createOwnershipCheck>;
