/**
 * `DELETE /v1/connect/users/:user`: everything of one external user in the
 * call's environment. A Connect token with `connect:users:write` may delete
 * only its own user.
 */
import { Hono } from "hono";
import { environmentOf, inEnvironment } from "../environment.ts";
import { PipedreamApiError, type SandboxEnv } from "../http.ts";
import { deleteAccounts, deleteDeployment, listDeployments } from "../store.ts";
import type { SandboxDeps } from "./types.ts";

export function userRoutes({ db, guards }: SandboxDeps) {
  return new Hono<SandboxEnv>()
    .use(guards.signedIn, inEnvironment, guards.scoped("connect:users:write"))
    .delete("/:user", async (c) => {
      const user = c.req.param("user");
      const caller = c.get("caller");
      if (caller.kind === "browser" && caller.token.externalUserId !== user) {
        throw new PipedreamApiError(403, "A connect token acts only for its own external user", "forbidden");
      }
      const environment = environmentOf(c);
      await deleteAccounts(db, { environment, externalUserId: user });
      for (const d of await listDeployments(db, { environment, externalUserId: user })) {
        await deleteDeployment(db, d.id);
      }
      return c.body(null, 204);
    });
}
