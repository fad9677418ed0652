/**
 * Webhook capacity, three servers side by side in one run, each in its own
 * process and loaded by wrk with the same presigned deliveries: a bare
 * Deno.serve (the generator's ceiling), the minimal verify-and-parse route
 * (the anchor) and the app's durable route. Then the durable server's
 * memory, and durability: it is killed (SIGKILL) the moment the load ends,
 * started again on the same database, and every acknowledged event is
 * looked up there (each must be there, once).
 */
import { openDatabase } from "../backend/database/db.ts";
import { spawnServer } from "../backend/testing/child_server.ts";
import { ensureWrk, presign, runWrk, type WrkResult } from "./load_webhooks.ts";
import { type Row, rssKb, section } from "./stats.ts";

const MODES = ["bare", "anchor", "durable"] as const;
type Mode = typeof MODES[number];

/** Deliveries per connection for bare and the anchor: they store nothing, so going round again is fine. */
const CYCLED_PER_CONNECTION = 5_000;
const WARM_UP_SECONDS = 2;

export async function webhookBench(conns = 16, secs = 8): Promise<Row[]> {
  await ensureWrk();
  const dir = await Deno.makeTempDir({ prefix: "pdc-webhook-bench-" });
  try {
    const cycled = await presign(`${dir}/cycled`, conns, CYCLED_PER_CONNECTION);
    const results = {} as Record<Mode, WrkResult>;
    let peakKb = 0,
      bareKb = 0,
      afterKb = 0,
      durableCount = 0,
      missing = -1,
      duplicated = -1,
      durableWrapped = 0;
    for (const mode of MODES) {
      // The durable route gets distinct deliveries only, enough for 1.5× the anchor's rate, signed
      // as a sender sending at the anchor's rate would sign them.
      const rate = results.anchor?.rps ?? 0;
      const perConnection = mode === "durable"
        ? Math.ceil((rate * secs * 1.5) / conns) + 1000
        : CYCLED_PER_CONNECTION;
      const measured = mode === "durable"
        ? await presign(`${dir}/durable`, conns, perConnection, rate)
        : cycled;
      const warm = mode === "durable" ? await presign(`${dir}/warm`, conns, 3000, rate) : cycled;
      const db = `file:${dir}/${mode}.db`;
      // Retention sized for the run: nothing acknowledged is trimmed before it is checked.
      const keep = String((perConnection + 3000) * conns + 1000);
      const server = await spawnServer(new URL("./webhook_server.ts", import.meta.url), [mode, db, keep]);
      let hwm = 0;
      const sampler = setInterval(() => {
        try {
          hwm = Math.max(hwm, rssKb(server.child.pid).hwm);
        } catch { /* exited */ }
      }, 100);
      try {
        await runWrk(server.url, warm, WARM_UP_SECONDS);
        results[mode] = await runWrk(server.url, measured, secs);
        if (mode === "bare") bareKb = rssKb(server.child.pid).rss;
        if (mode === "durable") {
          peakKb = Math.max(hwm, rssKb(server.child.pid).hwm);
          afterKb = rssKb(server.child.pid).rss;
          durableWrapped = results.durable.wrapped;
          durableCount = results.durable.acked.length;
          await server.kill();
          ({ missing, duplicated } = await missingAfterRestart(db, keep, results.durable.acked));
        }
      } finally {
        clearInterval(sampler);
        await server.kill();
      }
    }
    const { bare, anchor, durable } = results;
    const how =
      `wrk, ${conns} connections (one thread each) for ${secs} s after a ${WARM_UP_SECONDS} s warm-up, ` +
      "loopback, presigned deliveries in the live format, each server in its own process";
    const failures = (r: WrkResult) => r.failed ? `; ${r.failed} requests not answered 200` : "";
    const perSecond = section("Webhooks", "ev/s");
    const ms = section("Webhooks", "ms");
    return [
      perSecond("events/s: anchor (verify + parse, no storage) vs bare", anchor.rps, bare.rps, how),
      perSecond(
        "events/s: durable vs anchor",
        durable.rps,
        anchor.rps,
        `${how}; durable = the app's route (deployment cache, delivery journal)${failures(durable)}${
          durableWrapped ? `; RAN OUT of distinct deliveries (${durableWrapped} replays)` : ""
        }`,
        { text: "≥ 0.5×", met: (app, base) => app / base >= 0.5 && durableWrapped === 0 },
      ),
      ms("p50 latency: durable vs anchor", durable.p50Ms, anchor.p50Ms, how),
      ms("p99 latency: durable vs anchor", durable.p99Ms, anchor.p99Ms, how, {
        text: "< 20 ms",
        met: (app) => app < 20,
      }),
      ms("p99 latency: bare", bare.p99Ms, bare.p99Ms, how),
      section("Webhooks", "events")(
        "acknowledged events missing from the db",
        missing,
        0,
        `the durable server killed (SIGKILL) as the load ended and started again on its database; every one of ` +
          `the ${durableCount} deliveries answered 200 looked up there by its id (retention sized for the run); ` +
          `${duplicated} stored twice`,
        { text: "0", met: (app) => app === 0 && durableCount > 0 && duplicated === 0 },
      ),
      section("Memory", "MB")(
        "peak RSS under webhook load (durable)",
        peakKb / 1024,
        bareKb / 1024,
        "VmHWM of the durable server process during the load; baseline = RSS of the bare Deno.serve process under the same load",
      ),
      section("Memory", "MB")(
        `RSS after ${durableCount} stored events`,
        afterKb / 1024,
        bareKb / 1024,
        "VmRSS of the durable server after the load",
      ),
    ];
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  console.table(await webhookBench(Number(Deno.args[0] ?? 16), Number(Deno.args[1] ?? 8)));
}

/**
 * The acknowledged events not in the database once a new instance has
 * started on it after the kill (it adopts what the killed one journaled),
 * and the rows stored more than once. Waits until none is missing, or 60 s.
 */
async function missingAfterRestart(
  db: string,
  keep: string,
  acked: string[],
): Promise<{ missing: number; duplicated: number }> {
  const server = await spawnServer(new URL("./webhook_server.ts", import.meta.url), ["durable", db, keep]);
  const conn = await openDatabase(db);
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const rs = await conn.execute("SELECT json_extract(event, '$.n') AS id FROM webhook_events");
      const stored = new Set(rs.rows.map((r) => String(r.id)));
      const missing = acked.filter((id) => !stored.has(id)).length;
      if (missing === 0 || Date.now() > deadline) {
        return { missing, duplicated: rs.rows.length - stored.size };
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    conn.close();
    await server.kill();
  }
}
