/**
 * Durable before acknowledged: a separate app process is killed with SIGKILL
 * in the middle of a burst of deliveries; every delivery it answered 2xx must
 * be in the database afterwards.
 */
import { ok } from "node:assert/strict";
import { openDatabase } from "../database/db.ts";
import { migrate } from "../database/migrate.ts";
import { insertTrigger } from "../database/triggers.ts";
import { MIGRATIONS } from "../runtime.ts";
import { deliver, eventBody } from "./testdata/deliver.ts";

const KEY = "sbx_sec_crash_test";
const DC = "dc_crashtest1";

Deno.test("kill -9 mid-burst loses no acknowledged event", async () => {
  const dir = await Deno.makeTempDir();
  const url = `file:${dir}/crash.db`;
  const setup = await openDatabase(url);
  await migrate(setup, MIGRATIONS);
  await insertTrigger(setup, {
    id: DC,
    externalUserId: "u_crashtestuser00000000",
    componentKey: "slack-new-message",
    name: "crash test",
    active: true,
    configuredProps: {},
    signingKey: KEY,
    createdAt: new Date().toISOString(),
  });
  setup.close();

  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./testdata/serve_app.ts", import.meta.url).pathname, url],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  while (!/PORT \d+/.test(out)) {
    const { value, done } = await reader.read();
    if (done) throw new Error("app process exited before listening");
    out += value;
  }
  const base = `http://127.0.0.1:${out.match(/PORT (\d+)/)![1]}`;

  const acked: string[] = [];
  let next = 0;
  let killed = false;
  const worker = async () => {
    while (!killed && next < 20_000) {
      const id = `evt_${next++}`;
      try {
        const res = await deliver(base, DC, KEY, eventBody(DC, id), { id });
        await res.body?.cancel();
        if (res.ok) acked.push(id);
      } catch {
        return; // the process is gone
      }
    }
  };
  const workers = Array.from({ length: 24 }, worker);
  while (acked.length < 600) await new Promise((r) => setTimeout(r, 5));
  child.kill("SIGKILL");
  killed = true;
  await Promise.all(workers);
  await child.status;
  await reader.cancel().catch(() => {});

  const after = await openDatabase(url);
  const stored = new Set(
    (await after.execute("SELECT event_id FROM webhook_events")).rows.map((r) => String(r.event_id)),
  );
  after.close();
  await Deno.remove(dir, { recursive: true });
  const missing = acked.filter((id) => !stored.has(id));
  console.log(`crash test: ${acked.length} acknowledged, ${stored.size} stored, ${missing.length} missing`);
  ok(acked.length >= 600);
  ok(missing.length === 0, `acknowledged but lost: ${missing.slice(0, 10).join(", ")}`);
});
