/**
 * `/v1/connect/accounts`: connected accounts, of the call's environment only.
 * A browser sees only its own user's.
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import { findApp } from "../catalog/index.ts";
import { actingUser } from "../auth.ts";
import { environmentOf, inEnvironment } from "../environment.ts";
import { notFound, type SandboxEnv } from "../http.ts";
import { query } from "../validate.ts";
import { deleteAccounts, findAccount, listAccounts } from "../store.ts";
import { Limit, paginate, wireAccount } from "../wire.ts";
import type { SandboxDeps } from "./types.ts";

const ListAccounts = z.object({
  external_user_id: z.string().optional(),
  app: z.string().optional(),
  include_credentials: z.enum(["true", "false"]).optional(),
  after: z.string().optional(),
  limit: Limit,
}).passthrough();

/** Credentials are shown only to the server, and only when asked for. */
const showCredentials = (c: Context<SandboxEnv>, asked: string | undefined) =>
  asked === "true" && c.get("caller").kind === "server";

export function accountRoutes({ db, guards }: SandboxDeps) {
  /** An account visible to this caller: of its environment and, for a browser, of its user. */
  async function visibleAccount(c: Context<SandboxEnv>) {
    const a = await findAccount(db, environmentOf(c), c.req.param("id") ?? "");
    const caller = c.get("caller");
    if (!a || (caller.kind === "browser" && a.externalUserId !== caller.token.externalUserId)) {
      throw notFound("Account not found");
    }
    return a;
  }

  return new Hono<SandboxEnv>()
    .use(guards.signedIn, inEnvironment)
    .get("/", guards.scoped("connect:accounts:read"), query(ListAccounts), async (c) => {
      const q = c.req.valid("query");
      // `app` is a slug or an app id; an unknown one matches nothing.
      const app = q.app === undefined ? undefined : findApp(q.app)?.slug ?? q.app;
      const rows = await listAccounts(db, {
        environment: environmentOf(c),
        externalUserId: actingUser(c, q.external_user_id),
        app,
      });
      const page = paginate(rows, q.after, q.limit);
      const withCredentials = showCredentials(c, q.include_credentials);
      return c.json({
        data: page.data.map((a) => wireAccount(a, findApp(a.app), c.get("base"), withCredentials)),
        page_info: page.page_info,
      });
    })
    .get("/:id", guards.scoped("connect:accounts:read"), async (c) => {
      const a = await visibleAccount(c);
      const withCredentials = showCredentials(c, c.req.query("include_credentials"));
      return c.json(wireAccount(a, findApp(a.app), c.get("base"), withCredentials));
    })
    .delete("/:id", guards.scoped("connect:accounts:write"), async (c) => {
      const a = await visibleAccount(c);
      await deleteAccounts(db, { environment: a.environment, id: a.id });
      return c.body(null, 204);
    });
}
