/** `/v1/connect/apps`: the catalog (any signed-in caller), and removing every account of an app. */
import { Hono } from "hono";
import { z } from "zod";
import { APPS, findApp } from "../catalog/index.ts";
import { actingUser } from "../auth.ts";
import { environmentOf, inEnvironment } from "../environment.ts";
import { notFound, type SandboxEnv } from "../http.ts";
import { query } from "../validate.ts";
import { deleteAccounts } from "../store.ts";
import { Limit, paginate, wireApp } from "../wire.ts";
import type { SandboxDeps } from "./types.ts";

const ListApps = z.object({ q: z.string().max(200).optional(), after: z.string().optional(), limit: Limit })
  .passthrough();

export function appRoutes({ db, guards }: SandboxDeps) {
  return new Hono<SandboxEnv>()
    .use(guards.signedIn)
    .get("/", query(ListApps), (c) => {
      const q = c.req.valid("query");
      const needle = q.q?.toLowerCase().trim();
      const apps = APPS.filter((a) =>
        !needle || a.slug.includes(needle) || a.name.toLowerCase().includes(needle)
      );
      const page = paginate(apps, q.after, q.limit);
      return c.json({ data: page.data.map((a) => wireApp(a, c.get("base"))), page_info: page.page_info });
    })
    .get("/:app", (c) => {
      const app = findApp(c.req.param("app"));
      if (!app) throw notFound(`App ${c.req.param("app")} not found`);
      return c.json({ data: wireApp(app, c.get("base")) });
    })
    .delete("/:app/accounts", inEnvironment, guards.scoped("connect:accounts:write"), async (c) => {
      // In the call's environment; a browser removes only its own user's accounts of the app.
      const app = findApp(c.req.param("app"))?.slug ?? c.req.param("app");
      await deleteAccounts(db, {
        environment: environmentOf(c),
        app,
        externalUserId: actingUser(c, undefined),
      });
      return c.body(null, 204);
    });
}
