/**
 * The session user's accounts, read from Pipedream and reduced to what a
 * browser may see. Ownership is decided by listing the user's own accounts:
 * an id that is not in that list does not exist for this user.
 */
import type { Pipedream, PipedreamClient } from "@pipedream/sdk";
import type { AccountView } from "../../shared/api.ts";
import { withRetry } from "./retry.ts";

const MAX_ACCOUNTS = 1000;
const PAGE_SIZE = 100;

/**
 * All of a user's accounts, page by page. Pipedream's documented examples
 * return an `end_cursor` on the last page too, and the SDK would then fetch
 * one more, empty page: a page shorter than asked for is the last one.
 */
export async function listUserAccounts(
  pd: PipedreamClient,
  externalUserId: string,
): Promise<Pipedream.Account[]> {
  return await withRetry(async () => {
    const out: Pipedream.Account[] = [];
    let page = await pd.accounts.list({ externalUserId, includeCredentials: false, limit: PAGE_SIZE });
    for (;;) {
      out.push(...page.data);
      if (out.length >= MAX_ACCOUNTS || page.data.length < PAGE_SIZE || !page.hasNextPage()) break;
      page = await page.getNextPage();
    }
    return out.slice(0, MAX_ACCOUNTS);
  });
}

export async function findUserAccount(
  pd: PipedreamClient,
  externalUserId: string,
  accountId: string,
): Promise<Pipedream.Account | undefined> {
  return (await listUserAccounts(pd, externalUserId)).find((a) => a.id === accountId);
}

const iso = (
  d: Date | undefined,
) => (d instanceof Date && !Number.isNaN(d.getTime()) ? d.toISOString() : undefined);

/** An allow-list of fields: credentials and anything new Pipedream adds stay on the server. */
export function toAccountView(a: Pipedream.Account): AccountView {
  const view: AccountView = {
    id: a.id,
    healthy: a.healthy ?? false,
    dead: a.dead ?? false,
  };
  if (a.name) view.name = a.name;
  if (a.app) {
    view.app = { nameSlug: a.app.nameSlug, name: a.app.name, imgSrc: a.app.imgSrc, authType: a.app.authType };
  }
  if (a.error) view.error = a.error;
  const created = iso(a.createdAt), updated = iso(a.updatedAt), expires = iso(a.expiresAt);
  if (created) view.createdAt = created;
  if (updated) view.updatedAt = updated;
  if (expires) view.expiresAt = expires;
  return view;
}

/** Every account id a set of configured props refers to (app props carry `authProvisionId`). */
export function referencedAccountIds(props: unknown, out = new Set<string>(), depth = 0): Set<string> {
  if (depth > 32 || !props || typeof props !== "object") return out;
  for (const [k, v] of Object.entries(props)) {
    if (k === "authProvisionId" && typeof v === "string") out.add(v);
    else referencedAccountIds(v, out, depth + 1);
  }
  return out;
}
