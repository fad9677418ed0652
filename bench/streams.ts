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

export async function streamBench(streams = 1000, windowMs = 20_000): Promise<Row[]> {
  const dir = await Deno.makeTempDir({ prefix: "pdc-stream-bench-" });
  const server = await spawnServer(new URL("./stream_server.ts", import.meta.url), [`file:${dir}/app.db`]);
  const open: Array<{ close(): void }> = [];
  const openStream = async (n: number) => {
    const s = await rawStream(server.url, "/api/events/stream", { "x-bench-user": `bench_user_${n}` });
    if (s.status !== 200) throw new Error(`stream ${n} answered ${s.status}`);
    await s.until(/event: ready/);
    open.push(s);
  };
  try {
    await openStream(0);
    await new Promise((r) => setTimeout(r, 1000)); // settle after start-up
    const one = await cpuOver(server.child.pid, windowMs);
    for (let i = 1; i < streams; i += 50) {
      await Promise.all(Array.from({ length: Math.min(50, streams - i) }, (_, k) => openStream(i + k)));
    }
    await new Promise((r) => setTimeout(r, 1000));
    const many = await cpuOver(server.child.pid, windowMs);
    return [
      section("Event streams", "CPU ms/s")(
        `app CPU with ${streams.toLocaleString("en")} idle streams vs 1`,
        many,
        one,
        `CPU time of the app's process (user + system) over ${
          windowMs / 1000
        } s with ${streams} users' streams ` +
          "open and no events, beside the same with one stream; each instance polls once per tick for all",
        { text: "≤ 2×", met: (app, base) => app <= 2 * Math.max(base, 1) },
      ),
    ];
  } finally {
    for (const s of open) s.close();
    await server.kill();
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) console.table(await streamBench(Number(Deno.args[0] ?? 1000)));
