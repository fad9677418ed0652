/**
 * `deno task bench`: every benchmark in one run, each figure beside its
 * baseline measured in the same run. Prints a table, writes
 * bench/results/latest.json and reference/benchmarks.md.
 */
import { apiOverhead } from "./api_overhead.ts";
import { coldStart } from "./cold_start.ts";
import { pageBench } from "./page.ts";
import type { Row } from "./stats.ts";
import { streamBench } from "./streams.ts";
import { webhookBench } from "./webhooks.ts";

const fmt = (n: number) => (Number.isFinite(n) ? (Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2)) : "—");

const rows: Row[] = [];
const sections: Array<[string, () => Promise<Row[]>]> = [
  ["Page", () => pageBench(5)],
  // A p99 is its slowest 1%: of 300 calls, three samples, which moved the "adds" by ±5 ms between runs of the
  // same code (in process, the client's own pauses land on either side); of 1,000, ten.
  ["API overhead", () => apiOverhead(1000)],
  // A spawn varies by a few ms either way, a fair part of a 25 ms baseline: the median of more of them.
  ["Cold start", () => coldStart(11)],
  ["Webhooks and memory", () => webhookBench(16, 8)],
  ["Event streams", () => streamBench(1000)],
];

/** The 1, 5 and 15 minute load averages: figures from a busy machine are not comparable. */
const loadAverage = () => Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(", ");
const loadBefore = loadAverage();
const cores = navigator.hardwareConcurrency;
for (const [name, run] of sections) {
  console.error(`running ${name}…`);
  try {
    rows.push(...await run());
  } catch (err) {
    console.error(`${name} failed: ${(err as Error).message}`);
    rows.push({
      section: name,
      figure: "failed to run",
      app: NaN,
      baseline: NaN,
      unit: "",
      ratio: NaN,
      how: (err as Error).message,
    });
  }
}

const header = ["section", "figure", "app", "baseline", "ratio", "unit", "target", "met", "how measured"];
const lines = rows.map((
  r,
) => [
  r.section,
  r.figure,
  fmt(r.app),
  fmt(r.baseline),
  fmt(r.ratio),
  r.unit,
  r.target ?? "",
  r.met === undefined ? "" : r.met ? "yes" : "NO",
  r.how,
]);
const widths = header.slice(0, 8).map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
const pad = (l: string[]) => l.slice(0, 8).map((c, i) => c.padEnd(widths[i])).join("  ");
console.log(pad(header));
for (const l of lines) console.log(pad(l));

const loadAfter = loadAverage();
console.log(`\nload average before: ${loadBefore}; after: ${loadAfter} (${cores} cores)`);
const when = new Date().toISOString();
await Deno.mkdir(new URL("./results/", import.meta.url), { recursive: true });
await Deno.writeTextFile(
  new URL("./results/latest.json", import.meta.url),
  JSON.stringify({ when, cores, loadBefore, loadAfter, rows }, null, 2),
);
const md = [
  "# Benchmarks",
  "",
  `Measured by \`deno task bench\` on ${
    when.slice(0, 10)
  } (${cores}-core machine, loopback only). Each figure is`,
  "beside its baseline from the same run; ratio = app / baseline. Re-run it to refresh this page.",
  "",
  `Load average (1, 5, 15 min) when the run began: ${loadBefore}; when it ended: ${loadAfter}. The machine is shared:`,
  "figures taken under load are slower and noisier than on a quiet one, the ratios less so.",
  "",
  `| ${header.join(" | ")} |`,
  `| ${header.map(() => "---").join(" | ")} |`,
  ...lines.map((l) => `| ${l.map((c) => c.replaceAll("|", "\\|")).join(" | ")} |`),
  "",
].join("\n");
const mdPath = new URL("../reference/benchmarks.md", import.meta.url).pathname;
await Deno.writeTextFile(mdPath, md);
// Formatted as the repository is, so `deno fmt --check` (in the test command) stays clean after a run.
await new Deno.Command(Deno.execPath(), { args: ["fmt", "--quiet", mdPath] }).output();
console.log(`\nwrote bench/results/latest.json and reference/benchmarks.md`);
