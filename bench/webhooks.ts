/**
 * Webhook capacity: accepted events per second and p50/p99 latency for a
 * bare handler, the verifying route without storage, and the durable route,
 * each loaded from a separate process; then acknowledged events missing
 * from the database (must be 0), and the durable server's memory.
 */
import { openDatabase } from "../backend/database/db.ts";
import { spawnServer } from "../backend/testing/child_server.ts";
import { type Row, rssKb } from "./stats.ts";

type Load = { acked: string[]; count: number; errors: number; rps: number; p50: number; p99: number };

function startServer(mode: string, db: string) {
  return spawnServer(new URL("./webhook_server.ts", import.meta.url), [mode, db]);
}

async function load(url: string, conns: number, secs: number): Promise<Load> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("./load_webhooks.ts", import.meta.url).pathname,
      url,
      String(conns),
      String(secs),
    ],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

export async function webhookBench(conns = 16, secs = 5): Promise<Row[]> {
  const dir = await Deno.makeTempDir();
  const results: Record<string, Load> = {};
  let peakKb = 0, bareKb = 0, after10kKb = 0;
  let missing = -1;
  for (const mode of ["bare", "verify", "durable"]) {
    const db = `file:${dir}/${mode}.db`;
    const { child, url, kill } = await startServer(mode, db);
    let hwm = 0;
    const sampler = setInterval(() => {
      try {
        hwm = Math.max(hwm, rssKb(child.pid).hwm);
      } catch { /* exited */ }
    }, 100);
    try {
      await load(url, conns, 1); // warm up
      results[mode] = await load(url, conns, secs);
      if (mode === "bare") bareKb = rssKb(child.pid).rss;
      if (mode === "durable") {
        peakKb = Math.max(hwm, rssKb(child.pid).hwm);
        const conn = await openDatabase(db);
        const stored = new Set(
          (await conn.execute("SELECT json_extract(event, '$.n') AS id FROM webhook_events")).rows.map((r) =>
            String(r.id)
          ),
        );
        const total = Number((await conn.execute("SELECT COUNT(*) AS n FROM webhook_events")).rows[0].n);
        conn.close();
        // Retention keeps 1,000 per deployment: check the newest acknowledged ones are all there.
        const newest = results.durable.acked.slice(-Math.min(1000, total));
        missing = newest.filter((id) => !stored.has(id)).length;
        after10kKb = rssKb(child.pid).rss;
      }
    } finally {
      clearInterval(sampler);
      await kill();
    }
  }
  await Deno.remove(dir, { recursive: true });
  const [bare, verify, durable] = [results.bare, results.verify, results.durable];
  const how =
    `${conns} connections for ${secs} s from a separate load process over loopback, signed deliveries (live format)`;
  return [
    {
      section: "Webhooks",
      figure: "events/s: verify (no storage) vs bare",
      app: verify.rps,
      baseline: bare.rps,
      unit: "ev/s",
      ratio: verify.rps / bare.rps,
      how,
    },
    {
      section: "Webhooks",
      figure: "events/s: durable vs verify",
      app: durable.rps,
      baseline: verify.rps,
      unit: "ev/s",
      ratio: durable.rps / verify.rps,
      target: "≥ 0.5×",
      met: durable.rps / verify.rps >= 0.5,
      how: `${how}; group commit`,
    },
    {
      section: "Webhooks",
      figure: "p50 latency: durable vs verify",
      app: durable.p50,
      baseline: verify.p50,
      unit: "ms",
      ratio: durable.p50 / verify.p50,
      how,
    },
    {
      section: "Webhooks",
      figure: "p99 latency: durable vs verify",
      app: durable.p99,
      baseline: verify.p99,
      unit: "ms",
      ratio: durable.p99 / verify.p99,
      target: "< 20 ms",
      met: durable.p99 < 20,
      how,
    },
    {
      section: "Webhooks",
      figure: "p99 latency: bare",
      app: bare.p99,
      baseline: bare.p99,
      unit: "ms",
      ratio: 1,
      how,
    },
    {
      section: "Webhooks",
      figure: "acknowledged events missing from the db",
      app: missing,
      baseline: 0,
      unit: "events",
      ratio: missing === 0 ? 1 : Infinity,
      target: "0",
      met: missing === 0,
      how: `checked the newest ${
        Math.min(1000, durable.count)
      } acknowledged ids (retention keeps 1,000 per deployment) of ${durable.count}`,
    },
    {
      section: "Memory",
      figure: "peak RSS under webhook load (durable)",
      app: peakKb / 1024,
      baseline: bareKb / 1024,
      unit: "MB",
      ratio: peakKb / bareKb,
      how:
        "VmHWM of the durable server process during the load; baseline = RSS of the bare Deno.serve process under the same load",
    },
    {
      section: "Memory",
      figure: `RSS after ${durable.count} stored events`,
      app: after10kKb / 1024,
      baseline: bareKb / 1024,
      unit: "MB",
      ratio: after10kKb / bareKb,
      how: "VmRSS of the durable server after the load (every event stored, then retention)",
    },
  ];
}

if (import.meta.main) {
  console.table(await webhookBench(Number(Deno.args[0] ?? 16), Number(Deno.args[1] ?? 5)));
}
