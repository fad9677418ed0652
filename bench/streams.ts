/**
 * Idle event streams: the app's CPU with 1,000 open streams (1,000 users,
 * each with the event feed open and nothing happening) beside its CPU with
 * one, each over the same window. Every instance polls the database once per
 * tick for all its streams (webhooks/live_feed.ts), so a thousand should cost
 * about what one does; a poll per stream would cost a thousand times more.
 */
import { rawStream } from "../backend/testing/raw_http.ts";
import { spawnServer } from "../backend/testing/child_server.ts";
import { type Row, section } from "./stats.ts";

/** CPU time (user + system) the process has used, in ms. */
function cpuMs(pid: number): number {
  const fields = Deno.readTextFileSync(`/proc/${pid}/stat`).split(") ")[1].split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

async function cpuOver(pid: number, ms: number): Promise<number> {
  const before = cpuMs(pid);
  await new Promise((r) => setTimeout(r, ms));
  return ((cpuMs(pid) - before) / ms) * 1000; // CPU ms per second
}

/** The server's CPU with one idle stream, then with `streams`, each over `windowMs`. */
async function oneAndMany(
  script: string,
  args: string[],
  streams: number,
  windowMs: number,
): Promise<{ one: number; many: number }> {
  const server = await spawnServer(new URL(script, import.meta.url), args);
  const open: Array<{ close(): void }> = [];
  const openStream = async (n: number) => {
    const s = await rawStream(server.url, "/api/events/stream", { "x-bench-user": `bench_user_${n}` });
    if (s.status !== 200) throw new Error(`stream ${n} answered ${s.status}`);
    await s.until(/event: ready/);
    open.push(s);
  };
  try {
    // Each figure is the second window after its streams opened: the first holds the opening's own work
    // (start-up, 1,000 requests' leases and their checkpoint, their garbage collected later), not idle cost.
    await openStream(0);
    await cpuOver(server.child.pid, windowMs);
    const one = await cpuOver(server.child.pid, windowMs);
    for (let i = 1; i < streams; i += 50) {
      await Promise.all(Array.from({ length: Math.min(50, streams - i) }, (_, k) => openStream(i + k)));
    }
    await cpuOver(server.child.pid, windowMs);
    return { one, many: await cpuOver(server.child.pid, windowMs) };
  } finally {
    for (const s of open) s.close();
    await server.kill();
  }
}

export async function streamBench(streams = 1000, windowMs = 20_000): Promise<Row[]> {
  const dir = await Deno.makeTempDir({ prefix: "pdc-stream-bench-" });
  try {
    const app = await oneAndMany("./stream_server.ts", [`file:${dir}/app.db`], streams, windowMs);
    const bare = await oneAndMany("./bare_stream_server.ts", [], streams, windowMs);
    const row = section("Event streams", "CPU ms/s");
    const window = `over ${
      windowMs / 1000
    } s (the second such window after the streams opened), user + system`;
    return [
      row(
        `app CPU with ${streams.toLocaleString("en")} idle streams vs 1`,
        app.many,
        app.one,
        `CPU time of the app's process ${window}, with ${streams} users' streams open and no events, beside ` +
          "the same with one stream; each instance polls once per tick for all",
        { text: "≤ 2×", met: (many, one) => many <= 2 * Math.max(one, 1) },
      ),
      row(
        `added by ${streams.toLocaleString("en")} idle streams: app vs bare Deno.serve`,
        app.many - app.one,
        bare.many - bare.one,
        `what the other ${streams - 1} streams add to each process's CPU ${window}; bare = a Deno.serve ` +
          "holding the same streams open with the same heartbeat and nothing else (bare_stream_server.ts)",
      ),
    ];
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) console.table(await streamBench(Number(Deno.args[0] ?? 1000)));
