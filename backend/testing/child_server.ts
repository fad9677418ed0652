/**
 * The app in a process of its own (the crash test kills it; the webhook
 * benchmark loads it from outside): a script that serves and prints
 * `PORT <n>` once it listens. Waiting for that line has a deadline.
 */
import { StreamReader } from "./event_stream.ts";

export type ChildServer = {
  child: Deno.ChildProcess;
  url: string;
  /** SIGKILL (if still running), then wait for the exit. */
  kill(): Promise<void>;
};

export async function spawnServer(
  script: URL,
  args: string[] = [],
  opts: { stderr?: "inherit" | "null"; timeoutMs?: number } = {},
): Promise<ChildServer> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script.pathname, ...args],
    stdout: "piped",
    stderr: opts.stderr ?? "inherit",
  }).spawn();
  const stdout = new StreamReader(child.stdout);
  const kill = async () => {
    try {
      child.kill("SIGKILL");
    } catch { /* it has already exited */ }
    await child.status;
    await stdout.close();
  };
  try {
    const out = await stdout.until((t) => /PORT \d+/.test(t), opts.timeoutMs ?? 30_000);
    return { child, url: `http://127.0.0.1:${out.match(/PORT (\d+)/)![1]}`, kill };
  } catch (err) {
    await kill();
    throw err;
  }
}
