/** `DELETE /v1/connect/users/:user` (server only): everything of one external user. */
import { Hono } from "hono";
import type { SandboxEnv } from "../http.ts";
import { deleteAccounts, deleteDeployment, listDeployments } from "../store.ts";
import type { SandboxDeps } from "./types.ts";

export function userRoutes({ db, guards }: SandboxDeps) {
  return new Hono<SandboxEnv>()
    .use(guards.signedIn, guards.serverOnly)
    .delete("/:user", async (c) => {
      const user = c.req.param("user");
      await deleteAccounts(db, { externalUserId: user });
      for (const d of await listDeployments(db, { externalUserId: user })) await deleteDeployment(db, d.id);
      return c.body(null, 204);
    });
}
