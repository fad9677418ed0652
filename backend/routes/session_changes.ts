/**
 * The session, changed: starting one (`POST`, limited per client address;
 * with a login, it only says who is signed in), and "Forget me" (`POST
 * /forget`): the user's accounts, triggers and data are deleted at Pipedream
 * (`users.deleteExternalUser`) and here; an anonymous user's sessions end and
 * the browser starts over with a fresh identity, a signed-in user stays
 * signed in, with nothing left. Reading the session is session.ts.
 */
import { Hono } from "hono";
import { ForgetMeRequest, type SessionResponse, StartSessionRequest } from "../../shared/api.ts";
import { forgetUser } from "../database/users.ts";
import { isNotFound } from "../http/error_mapping.ts";
import { userOf } from "../http/session.ts";
import { readJson } from "../http/validate.ts";
import { withRetry } from "../pipedream/retry.ts";
import { sessionPayload } from "./session.ts";
import type { AppEnv, RouteDeps } from "./types.ts";

export function sessionChangeRoutes(deps: RouteDeps) {
  return new Hono<AppEnv>()
    .post("/", async (c) => {
      await readJson(c, StartSessionRequest);
      let userId = c.get("externalUserId");
      if (!userId) {
        // Only anonymous sessions get here without an identity (identity.ts).
        await deps.spend("newSessions", deps.limits.perAddress.newSessions, `addr:${c.get("clientAddress")}`);
        userId = await deps.sessions!.start(c);
      }
      const body: SessionResponse = sessionPayload(deps, userId, deps.appOrigin(c));
      return c.json(body);
    })
    .post("/forget", async (c) => {
      await readJson(c, ForgetMeRequest);
      const userId = userOf(c);
      await deps.spend("forgetMe", deps.limits.perAddress.forgetMe, `addr:${c.get("clientAddress")}`);
      // Pipedream first: if it fails, nothing here is gone yet, and trying again is safe.
      try {
        await withRetry(() => deps.pipedream.users.deleteExternalUser(userId));
      } catch (err) {
        // A user who never connected anything may be unknown to Pipedream: nothing to delete there.
        if (!isNotFound(err)) throw err;
      }
      await forgetUser(deps.db, userId);
      deps.tokenCache.invalidate(userId);
      deps.ownership.forget(userId);
      let next = userId;
      if (deps.sessions) {
        await deps.sessions.end(userId);
        next = await deps.sessions.start(c);
      }
      const body: SessionResponse = sessionPayload(deps, next, deps.appOrigin(c));
      return c.json(body);
    });
}
