/** Test helper: a database file as the app makes it, holding one deployed trigger to deliver to. */
import { type Db, openDatabase } from "../../database/db.ts";
import { migrate } from "../../database/migrate.ts";
import { insertTrigger } from "../../database/triggers.ts";
import { MIGRATIONS } from "../../runtime.ts";
import type { Target } from "./deliver.ts";

/** `app.db` in a new temporary folder (`dir`; the caller removes it), migrated, with `target`'s trigger. */
export async function triggerDatabase(target: Target): Promise<{ dir: string; path: string; db: Db }> {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/app.db`;
  const db = await openDatabase(`file:${path}`);
  await migrate(db, MIGRATIONS);
  await insertTrigger(db, {
    id: target.deploymentId,
    externalUserId: target.externalUserId,
    componentKey: "slack-new-message",
    name: "test trigger",
    active: true,
    configuredProps: {},
    signingKey: target.key,
    createdAt: new Date().toISOString(),
  });
  return { dir, path, db };
}
