/**
 * The app in a process of its own (the crash test kills it, the Val Town
 * test runs it without file access, the webhook benchmark loads it from
 * outside): a script that serves and prints `PORT <n>` once it listens.
 * Waiting for that line has a deadline.
 */
import { StreamReader } from "./event_stream.ts";

export type ChildServer = {
  child: Deno.ChildProcess;
  url: string;
  /** SIGKILL (if still running), then wait for the exit; returns what it wrote to stderr when piped. */
  kill(): Promise<string>;
};

export type SpawnOptions = {
  /** `deno run` flags before the script (default `-A`). */
  flags?: string[];
  /** The child's whole environment (default: this process's). */
  env?: Record<string, string>;
  cwd?: string;
  stderr?: "inherit" | "null" | "piped";
  timeoutMs?: number;
};

export async function spawnServer(
  script: URL,
  args: string[] = [],
  opts: SpawnOptions = {},
): Promise<ChildServer> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...(opts.flags ?? ["-A"]), script.pathname, ...args],
    stdout: "piped",
    stderr: opts.stderr ?? "inherit",
    ...(opts.env ? { env: opts.env, clearEnv: true } : {}),
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
  }).spawn();
  const stdout = new StreamReader(child.stdout);
  const stderr = opts.stderr === "piped" ? new Response(child.stderr).text() : Promise.resolve("");
  const kill = async () => {
    try {
      child.kill("SIGKILL");
    } catch { /* it has already exited */ }
    await child.status;
    await stdout.close();
    return await stderr;
  };
  try {
    const out = await stdout.until((t) => /PORT \d+/.test(t), opts.timeoutMs ?? 30_000, "its PORT line");
    return { child, url: `http://127.0.0.1:${out.match(/PORT (\d+)/)![1]}`, kill };
  } catch (err) {
    // What it said, less Deno's "Download …" lines (a val fetches every module, the lazy ones after the rest).
    const said = (await kill()).split("\n").filter((line) => !line.startsWith("Download ")).join("\n").trim();
    throw new Error(`${(err as Error).message}${said ? `\nits stderr: ${said.slice(-2000)}` : ""}`);
  }
}
