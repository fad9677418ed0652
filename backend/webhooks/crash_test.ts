/**
 * Durable before acknowledged: a separate app process is killed with SIGKILL
 * in the middle of a burst of deliveries; every delivery it answered 2xx must
 * be in the database once the next instance has started on it (what the
 * dead one had journaled but not imported, that one adopts:
 * delivery_journal.ts), and each exactly once. Every wait has a deadline: a
 * child that never listens or never acknowledges fails the test instead of
 * hanging it.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { openDatabase } from "../database/db.ts";
import { spawnServer } from "../testing/child_server.ts";
import { eventually } from "../testing/eventually.ts";
import { deliver, eventBody } from "./testdata/deliver.ts";
import { triggerDatabase } from "./testdata/trigger_database.ts";

const TARGET = {
  deploymentId: "dc_crashtest1",
  externalUserId: "u_crashtestuser00000000",
  key: "sbx_sec_crash_test",
};

Deno.test("kill -9 mid-burst loses no acknowledged event", async () => {
  const { dir, path, db: setup } = await triggerDatabase(TARGET);
  const url = `file:${path}`;
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

  // What the killed instance left: its journal, locked no more.
  const journals = `${path}.deliveries`;
  const orphans = [...Deno.readDirSync(journals)].map((e) => e.name);
  ok(orphans.length > 0, "the killed instance wrote its deliveries to a journal");

  // The next instance on this database brings in what the killed one acknowledged, and deletes its journal.
  const restarted = await spawnServer(
    new URL("../testing/serve_instance.ts", import.meta.url),
    [JSON.stringify({ env: {}, databaseUrl: url })],
    { stderr: "null" },
  );
  const after = await openDatabase(url);
  const storedIds = async () =>
    (await after.execute("SELECT json_extract(event, '$.n') AS id FROM webhook_events")).rows.map((r) =>
      String(r.id)
    );
  const left = () => orphans.filter((name) => existsSync(`${journals}/${name}`));
  try {
    await eventually(async () => {
      const stored = new Set(await storedIds());
      return acked.every((id) => stored.has(id)) && left().length === 0;
    }, { timeoutMs: 30_000, intervalMs: 50, what: "the killed instance's journal adopted" })
      .catch(() => {}); // the assertions below say what is missing
  } finally {
    await restarted.kill();
  }
  const ids = await storedIds();
  const stored = new Set(ids);
  after.close();
  const leftOver = left();
  await Deno.remove(dir, { recursive: true });
  const missing = acked.filter((id) => !stored.has(id));
  console.log(`crash test: ${acked.length} acknowledged, ${stored.size} stored, ${missing.length} missing`);
  ok(missing.length === 0, `acknowledged but lost: ${missing.slice(0, 10).join(", ")}`);
  ok(ids.length === stored.size, `stored twice: ${ids.length - stored.size} rows`);
  deepStrictEqual(leftOver, [], "the adopted journal is deleted");
});

function existsSync(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}
