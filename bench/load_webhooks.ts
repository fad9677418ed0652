/**
 * Load generator (its own process): trigger deliveries in the live format
 * (backend/lib/webhook_format.ts) over loopback from N concurrent connections
 * for a fixed time. Prints JSON: acknowledged event ids, requests per second,
 * p50/p99 latency.
 * Args: <url> <connections> <seconds> [presigned count]
 */
import { deliveryContextHeaders, signatureHeaders } from "../backend/lib/webhook_format.ts";
import { SANDBOX_CREDENTIALS } from "../backend/sandbox/credentials.ts";
import { summarize } from "./stats.ts";
import { BENCH_TARGET } from "./webhook_target.ts";

const [url, conns, secs, presign = "30000"] = Deno.args;
const context = deliveryContextHeaders({
  emitterId: BENCH_TARGET.deploymentId,
  externalUserId: BENCH_TARGET.externalUserId,
  projectId: SANDBOX_CREDENTIALS.projectId,
  environment: SANDBOX_CREDENTIALS.environment,
});
const prefix = crypto.randomUUID().slice(0, 8);

// Signed before the clock starts, so the load measures the server, not the
// generator's HMACs (the signatures stay inside the 5-minute window).
const prepared: Array<{ id: string; body: string; headers: Record<string, string> }> = [];
for (let i = 0; i < Number(presign); i++) {
  const id = `evt_${prefix}_${i}`;
  const body = JSON.stringify({ n: id, text: "benchmark event with a little payload" });
  prepared.push({
    id,
    body,
    headers: {
      "content-type": "application/json",
      ...context,
      ...await signatureHeaders(BENCH_TARGET.key, body, Date.now()),
    },
  });
}

const latencies: number[] = [];
const acked: string[] = [];
let errors = 0;
let next = 0;
const deadline = performance.now() + Number(secs) * 1000;

async function worker() {
  while (performance.now() < deadline && next < prepared.length) {
    const { id, body, headers } = prepared[next++];
    const t = performance.now();
    try {
      const res = await fetch(`${url}/webhooks/pipedream/triggers`, { method: "POST", headers, body });
      await res.body?.cancel();
      latencies.push(performance.now() - t);
      if (res.ok) acked.push(id);
      else errors++;
    } catch {
      errors++;
    }
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: Number(conns) }, worker));
const elapsed = (performance.now() - started) / 1000;
const s = summarize(latencies);
console.log(
  JSON.stringify({ acked, count: acked.length, errors, rps: acked.length / elapsed, p50: s.p50, p99: s.p99 }),
);
