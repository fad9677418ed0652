/**
 * Everything stored here about one user, deleted in one transaction ("Forget
 * me"): runs, triggers, received events, SDK calls, connect tokens, limits,
 * stream leases and sessions. Pipedream's side is deleted by the caller first.
 */
import { forgetUserEventStatements } from "../webhooks/store.ts";
import type { Db } from "./db.ts";
import { sdkCallWritesSettled } from "./sdk_calls.ts";

export async function forgetUser(db: Db, externalUserId: string): Promise<void> {
  // A call of theirs still being recorded would otherwise land after the delete.
  await sdkCallWritesSettled(db);
  const byUser = (table: string) => ({
    sql: `DELETE FROM ${table} WHERE external_user_id = ?`,
    args: [externalUserId],
  });
  await db.batch([
    byUser("action_runs"),
    byUser("deployed_triggers"),
    byUser("sdk_calls"),
    byUser("connect_tokens"),
    byUser("stream_leases"),
    byUser("sessions"),
    // Per-session buckets are keyed `<action>:<user id>`.
    {
      sql: "DELETE FROM rate_limits WHERE bucket LIKE ? ESCAPE '\\'",
      args: [`%:${externalUserId.replace(/[%_\\]/g, "\\$&")}`],
    },
    ...forgetUserEventStatements(externalUserId),
  ], "write");
}
