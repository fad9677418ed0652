/**
 * Cold start: from spawning the local runner to its first 200 on
 * /api/session and on /, with a warm dependency cache and a prebuilt
 * frontend; beside a bare Deno.serve script (bare_server.ts) spawned the
 * same way: same project, same flags, same working directory. The flags are
 * those `deno task start` runs main.ts with (deno.json).
 */
import { freePort, median, type Row, section, type Target } from "./stats.ts";

/** The `deno run` flags of `deno task start`, read from deno.json so the two cannot drift apart. */
function startTaskFlags(root: string): string[] {
  const start: string = JSON.parse(Deno.readTextFileSync(`${root}deno.json`)).tasks.start;
  const flags = start.match(/deno run (.*?) main\.ts/)?.[1];
  if (flags === undefined) throw new Error(`deno.json's start task runs no main.ts: ${start}`);
  return flags.split(/\s+/);
}

/**
 * Live mode: its four variables and APP_URL, where it listens. Pipedream's API is not reachable from here,
 * and needs not be: a first visit's session and page make no call to it.
 */
const live = (port: number) => ({
  PIPEDREAM_CLIENT_ID: "bench",
  PIPEDREAM_CLIENT_SECRET: "bench",
  PIPEDREAM_PROJECT_ID: "proj_bench",
  PIPEDREAM_PROJECT_ENVIRONMENT: "development",
  APP_URL: `http://127.0.0.1:${port}`,
});

async function timeToFirst200(
  args: string[],
  env: Record<string, string> | ((port: number) => Record<string, string>),
  paths: string[],
): Promise<number[]> {
  const port = freePort();
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: new URL("../", import.meta.url).pathname,
    env: { ...(typeof env === "function" ? env(port) : env), PORT: String(port) },
    stdout: "null",
    stderr: "null",
  }).spawn();
  const times: number[] = [];
  try {
    for (const path of paths) {
      const deadline = started + 30_000;
      while (performance.now() < deadline) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}${path}`);
          await res.body?.cancel();
          if (res.status === 200) break;
        } catch { /* not listening yet */ }
        await new Promise((r) => setTimeout(r, 2));
      }
      times.push(performance.now() - started);
    }
  } finally {
    child.kill("SIGKILL");
    await child.status;
  }
  return times;
}

export async function coldStart(runs = 5): Promise<Row[]> {
  const root = new URL("../", import.meta.url).pathname;
  const build = await new Deno.Command(Deno.execPath(), {
    args: ["task", "build"],
    cwd: root,
    stdout: "null",
    stderr: "null",
  })
    .output();
  if (!build.success) throw new Error("deno task build failed");
  const dir = await Deno.makeTempDir();
  const run = ["run", ...startTaskFlags(root)];
  const bare = `${root}bench/bare_server.ts`;
  const main = `${root}main.ts`;
  const session: number[] = [], page: number[] = [], migrated: number[] = [], liveT: number[] = [];
  const bareT: number[] = [];
  for (let i = 0; i < runs; i++) {
    const db = `file:${dir}/fresh-${i}.db`;
    const [s, p] = await timeToFirst200([...run, main], {
      DATABASE_URL: db,
      HOME: Deno.env.get("HOME") ?? "",
    }, [
      "/api/session",
      "/",
    ]);
    session.push(s);
    page.push(p);
    migrated.push((await timeToFirst200([...run, main], { DATABASE_URL: db }, ["/api/session"]))[0]);
    const liveEnv = (port: number) => ({ DATABASE_URL: db, ...live(port) });
    liveT.push((await timeToFirst200([...run, main], liveEnv, ["/api/session"]))[0]);
    bareT.push((await timeToFirst200([...run, bare], {}, ["/"]))[0]);
  }
  await Deno.remove(dir, { recursive: true });
  const b = median(bareT);
  const how =
    `median of ${runs} spawns of main.ts as \`deno task start\` runs it (warm dependency cache, prebuilt frontend), polling every 2 ms; baseline = a bare Deno.serve script spawned the same way`;
  const row = section("Cold start", "ms");
  const fourTimesBare: Target = { text: "≤ 4× bare", met: (ms, bare) => ms <= 4 * bare };
  return [
    row("first 200 on /api/session (new db)", median(session), b, how, fourTimesBare),
    row("first 200 on / (new db)", median(page), b, how),
    row(
      "first 200 on /api/session (migrated db)",
      median(migrated),
      b,
      "same, on a database that already has its tables",
      fourTimesBare,
    ),
    row(
      "first 200 on /api/session (live mode, migrated db)",
      median(liveT),
      b,
      "same, in live mode (the four PIPEDREAM_* variables and APP_URL set; a first visit calls no Pipedream API)",
      fourTimesBare,
    ),
  ];
}

if (import.meta.main) console.table(await coldStart(Number(Deno.args[0] ?? 5)));
