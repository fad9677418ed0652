import { Hono } from "hono";
import { AccountId } from "../../shared/api.ts";
import { notFound } from "../http/errors.ts";
import { parseOr400 } from "../http/validate.ts";
import { findUserAccount, listUserAccounts, toAccountView } from "../pipedream/accounts.ts";
import { userOf } from "../http/session.ts";
import type { AppEnv, RouteDeps } from "./types.ts";

export function accountRoutes(deps: RouteDeps) {
  const pd = deps.pipedream;
  return new Hono<AppEnv>()
    .get("/", async (c) => {
      const accounts = await listUserAccounts(pd, userOf(c));
      return c.json({ data: accounts.map(toAccountView) });
    })
    .get("/:id", async (c) => {
      const id = parseOr400(AccountId, c.req.param("id"));
      const account = await findUserAccount(pd, userOf(c), id);
      if (!account) throw notFound("Account");
      return c.json(toAccountView(account));
    })
    .delete("/:id", async (c) => {
      const id = parseOr400(AccountId, c.req.param("id"));
      // Another user's id answers exactly like a missing one: existence is not revealed.
      const userId = userOf(c);
      const account = await findUserAccount(pd, userId, id);
      if (!account) throw notFound("Account");
      await pd.accounts.delete(id);
      deps.ownership.forget(userId);
      return c.body(null, 204);
    });
}
