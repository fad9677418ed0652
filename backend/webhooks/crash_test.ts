/**
 * Durable before acknowledged: a separate app process is killed with SIGKILL
 * in the middle of a burst of deliveries; every delivery it answered 2xx must
 * be in the database afterwards. Every wait has a deadline: a child that
 * never listens or never acknowledges fails the test instead of hanging it.
 */
import { ok } from "node:assert/strict";
import { openDatabase } from "../database/db.ts";
import { migrate } from "../database/migrate.ts";
import { insertTrigger } from "../database/triggers.ts";
import { MIGRATIONS } from "../runtime.ts";
import { spawnServer } from "../testing/child_server.ts";
import { eventually } from "../testing/eventually.ts";
import { deliver, eventBody } from "./testdata/deliver.ts";

const TARGET = {
  deploymentId: "dc_crashtest1",
  externalUserId: "u_crashtestuser00000000",
  key: "sbx_sec_crash_test",
};

Deno.test("kill -9 mid-burst loses no acknowledged event", async () => {
  const dir = await Deno.makeTempDir();
  const url = `file:${dir}/crash.db`;
  const setup = await openDatabase(url);
  await migrate(setup, MIGRATIONS);
  await insertTrigger(setup, {
    id: TARGET.deploymentId,
    externalUserId: TARGET.externalUserId,
    componentKey: "slack-new-message",
    name: "crash test",
    active: true,
    configuredProps: {},
    signingKey: TARGET.key,
    createdAt: new Date().toISOString(),
  });
  setup.close();

  const server = await spawnServer(
    new URL("../testing/serve_instance.ts", import.meta.url),
    [JSON.stringify({ env: {}, databaseUrl: url })],
    { stderr: "null" },
  );
  const acked: string[] = [];
  let next = 0;
  let killed = false;
  try {
    const worker = async () => {
      while (!killed && next < 20_000) {
        const id = `evt_${next++}`;
        try {
          const res = await deliver(server.url, TARGET, eventBody(id));
          await res.body?.cancel();
          if (res.ok) acked.push(id);
        } catch {
          return; // the process is gone
        }
      }
    };
    const workers = Array.from({ length: 24 }, worker);
    await eventually(() => acked.length >= 600, {
      timeoutMs: 60_000,
      intervalMs: 5,
      what: "600 acknowledged deliveries before the kill",
    });
    await server.kill();
    killed = true;
    await Promise.all(workers);
  } finally {
    killed = true;
    await server.kill();
  }

  const after = await openDatabase(url);
  const stored = new Set(
    (await after.execute("SELECT json_extract(event, '$.n') AS id FROM webhook_events")).rows.map((r) =>
      String(r.id)
    ),
  );
  after.close();
  await Deno.remove(dir, { recursive: true });
  const missing = acked.filter((id) => !stored.has(id));
  console.log(`crash test: ${acked.length} acknowledged, ${stored.size} stored, ${missing.length} missing`);
  ok(missing.length === 0, `acknowledged but lost: ${missing.slice(0, 10).join(", ")}`);
});
