/**
 * The webhook load: Debian's `wrk` (installed when missing, as the test
 * command installs Chromium), fed presigned trigger deliveries in the live
 * format (backend/lib/webhook_format.ts) by bench/deliveries.lua. Every
 * delivery is a distinct event with its own signature, so none is a replay;
 * they are signed before the clock starts, so the load measures the server,
 * not the generator's HMACs.
 *
 * wrk runs one thread per connection: each thread then has one request in
 * flight, and the script knows exactly which deliveries were answered 200.
 */
import { HmacSha256Key } from "../backend/lib/crypto.ts";
import { PD_HEADER, signatureHeaders } from "../backend/lib/webhook_format.ts";
import { SANDBOX_CREDENTIALS } from "../backend/sandbox/credentials.ts";
import { BENCH_TARGET } from "./webhook_target.ts";

const SCRIPT = new URL("./deliveries.lua", import.meta.url).pathname;

async function hasWrk(): Promise<boolean> {
  try {
    return (await new Deno.Command("wrk", { args: ["-v"], stdout: "null", stderr: "null" }).output()) !==
      null;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw err;
  }
}

/** Installs Debian's wrk when it is not on PATH, saying so. */
export async function ensureWrk(): Promise<void> {
  if (await hasWrk()) return;
  console.error("wrk is missing: installing Debian's wrk package for the webhook benchmark");
  const sudo = Deno.uid?.() === 0 ? [] : ["sudo"];
  const apt = async (args: string[]) =>
    (await new Deno.Command(sudo[0] ?? "apt-get", {
      args: sudo.length ? ["apt-get", ...args] : args,
      stdout: "inherit",
      stderr: "inherit",
    }).output()).success;
  if (!await apt(["update", "-q"]) || !await apt(["install", "-y", "-q", "wrk"]) || !await hasWrk()) {
    throw new Error("could not install wrk (apt-get install wrk)");
  }
}

/** A set of presigned deliveries on disk: one file per wrk thread. */
export type DeliverySet = { dir: string; threads: number; perThread: number; prefix: string };

/** The event id carried by the delivery on `line` (1-based) of `thread`'s file. */
export const deliveryId = (set: DeliverySet, thread: number, line: number) =>
  `${set.prefix}-${thread}-${line}`;

/**
 * `perSecond`: sign them as a sender that signs each delivery as it sends it
 * (Pipedream's `t` is the time of sending) would at that total rate: `t`
 * steps up a second every `perSecond` deliveries; 0: all signed now.
 */
export async function presign(
  dir: string,
  threads: number,
  perThread: number,
  perSecond = 0,
): Promise<DeliverySet> {
  const set = { dir, threads, perThread, prefix: crypto.randomUUID().slice(0, 8) };
  const key = new HmacSha256Key(BENCH_TARGET.key);
  const now = Date.now();
  await Deno.mkdir(dir, { recursive: true });
  for (let thread = 0; thread < threads; thread++) {
    const lines: string[] = [];
    for (let line = 1; line <= perThread; line++) {
      const body = JSON.stringify({
        n: deliveryId(set, thread, line),
        text: "benchmark event, a little payload",
      });
      const sentAt = perSecond ? now + Math.floor((line * threads) / perSecond) * 1000 : now;
      const h = signatureHeaders(key, body, sentAt);
      lines.push(`${h[PD_HEADER.signature]}\t${h[PD_HEADER.timestamp]}\t${body}`);
    }
    await Deno.writeTextFile(`${dir}/deliveries-${thread}.tsv`, `${lines.join("\n")}\n`);
  }
  return set;
}

export type WrkResult = {
  requests: number;
  /** Answered 200 per second. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers other than 200, and requests that got no answer (socket errors, timeouts). */
  failed: number;
  /** Every delivery answered 200 before its thread ran out of distinct ones, by event id. */
  acked: string[];
  /** Requests made after a thread ran out of distinct deliveries (replays: fine for a server that stores nothing). */
  wrapped: number;
};

type LuaSummary = {
  requests: number;
  durationUs: number;
  status4xx5xx: number;
  connectErrors: number;
  readErrors: number;
  writeErrors: number;
  timeouts: number;
  p50Us: number;
  p99Us: number;
  acked: Array<{ thread: number; lines: number[] }>;
  ok: number;
  wrapped: number;
};

/** One connection (and wrk thread) per file of the set, for `seconds`, against `url`. */
export async function runWrk(url: string, set: DeliverySet, seconds: number): Promise<WrkResult> {
  const result = await Deno.makeTempFile({ suffix: ".json" });
  try {
    const out = await new Deno.Command("wrk", {
      args: [
        `-t${set.threads}`,
        `-c${set.threads}`,
        `-d${seconds}s`,
        "--timeout",
        "10s",
        "-s",
        SCRIPT,
        url,
        "--",
        set.dir,
        BENCH_TARGET.deploymentId,
        BENCH_TARGET.externalUserId,
        SANDBOX_CREDENTIALS.projectId,
        SANDBOX_CREDENTIALS.environment,
      ],
      env: { WRK_RESULT: result },
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!out.success) throw new Error(`wrk failed: ${new TextDecoder().decode(out.stderr)}`);
    const s: LuaSummary = JSON.parse(await Deno.readTextFile(result));
    const acked = s.acked.flatMap(({ thread, lines }) => lines.map((l) => deliveryId(set, thread, l)));
    const noAnswer = s.connectErrors + s.readErrors + s.writeErrors + s.timeouts;
    return {
      requests: s.requests,
      rps: s.ok / (s.durationUs / 1e6),
      p50Ms: s.p50Us / 1000,
      p99Ms: s.p99Us / 1000,
      failed: s.requests - s.ok + noAnswer,
      acked,
      wrapped: s.wrapped,
    };
  } finally {
    await Deno.remove(result).catch(() => {});
  }
}
