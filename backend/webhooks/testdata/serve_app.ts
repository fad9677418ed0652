/**
 * A separate process serving the real app on a file database, for the crash
 * test (it gets kill -9 mid-burst). Prints its port when ready.
 */
import { createApp } from "../../app.ts";
import { loadConfig } from "../../config.ts";
import { openDatabase } from "../../database/db.ts";
import { migrate } from "../../database/migrate.ts";
import { appMigrations } from "../../database/migrations.ts";
import { createPipedreamClient } from "../../pipedream/client.ts";
import { webhookMigrations } from "../mod.ts";

const config = loadConfig({
  SESSION_SECRET: "crash-test-secret-0123456789abcdef",
  DATABASE_URL: Deno.args[0],
});
const db = await openDatabase(config.databaseUrl);
await migrate(db, [...appMigrations, ...webhookMigrations]);
const pipedream = createPipedreamClient({ config, sandboxBaseUrl: "http://127.0.0.1:9/sandbox" });
const app = createApp({ config, db, pipedream, sessionSecret: config.sessionSecret! });
Deno.serve(
  { port: 0, hostname: "127.0.0.1", onListen: ({ port }) => console.log(`PORT ${port}`) },
  app.fetch,
);
