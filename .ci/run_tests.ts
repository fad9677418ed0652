/**
 * The whole test command: format, lint, type check, then every test (unit,
 * integration, browser). Installs what the browser tests need when it is
 * missing, saying so. Ends with the line CI reads: `N passed, N failed`.
 *
 * Kept fast on a small machine: the checks and the frontend build run side by
 * side; the frontend is built once (`dist/frontend`, which every test server
 * then serves instead of bundling again); one Chromium serves every browser
 * test (each scenario in its own context; see e2e/browser.ts); the unit files
 * run in shards (`unitShards`); and the modules start longest first.
 */
import { existsSync } from "node:fs";
import { chromium } from "playwright-core";
import { BROWSER_WS_ENV, CHROMIUM_ARGS, chromiumPath } from "../e2e/browser.ts";

const deno = Deno.execPath();
const started = performance.now();
/** Seconds since the test command started, for the phase headers. */
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
let passed = 0;
let failed = 0;

async function run(
  cmd: string,
  args: string[],
  opts: { quiet?: boolean; env?: Record<string, string> } = {},
): Promise<number> {
  const child = new Deno.Command(cmd, {
    args,
    stdout: opts.quiet ? "null" : "inherit",
    stderr: opts.quiet ? "null" : "inherit",
    env: { NO_COLOR: "1", ...opts.env },
  }).spawn();
  return (await child.status).code;
}

/** Steps run side by side; each one's output is printed whole, in order, when it is done. */
async function steps(list: Array<[string, string[]]>) {
  const running = list.map(([, args]) =>
    new Deno.Command(deno, { args, stdout: "piped", stderr: "piped", env: { NO_COLOR: "1" } }).output()
  );
  for (const [i, [name]] of list.entries()) {
    const out = await running[i];
    console.log(`\n== ${name} (done at ${elapsed()})`);
    await Deno.stdout.write(out.stdout);
    await Deno.stderr.write(out.stderr);
    if (out.code === 0) passed++;
    else {
      failed++;
      console.log(`FAILED: ${name}`);
    }
  }
}

/** The browser tests' Chromium (e2e/browser.ts chooses it), installed from Debian when missing. */
async function ensureChromium() {
  if (existsSync(chromiumPath())) return;
  console.log(
    `\n== Chromium is missing at ${chromiumPath()}: installing Debian's chromium-headless-shell for the browser tests`,
  );
  const sudo = Deno.uid?.() === 0 ? [] : ["sudo"];
  const apt = (args: string[]) => run(sudo[0] ?? "apt-get", sudo.length ? ["apt-get", ...args] : args);
  if (await apt(["update", "-q"]) !== 0) console.log("apt-get update failed; trying the install anyway.");
  // The headless shell when it can be had; else the full chromium serves as well, a little slower.
  for (const pkg of ["chromium-headless-shell", "chromium"]) {
    if (await apt(["install", "-y", "-q", pkg]) === 0 && existsSync(chromiumPath())) return;
  }
  console.log("Could not install chromium; browser tests will fail.");
}

function countJunit(xml: string): { tests: number; failures: number } {
  // Count leaf test cases: a <testcase> element per test and per step.
  const cases = xml.match(/<testcase\b[^>]*?(\/>|>[\s\S]*?<\/testcase>)/g) ?? [];
  const failures = cases.filter((c) => /<failure\b/.test(c)).length;
  return { tests: cases.length, failures };
}

/** Every test module under `dir` (deno test's own naming rule), but for the folders in `skip`, sorted. */
function testFiles(dir: string, skip: Set<string>): string[] {
  const found: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    const path = dir === "." ? e.name : `${dir}/${e.name}`;
    if (e.isDirectory && !skip.has(path)) found.push(...testFiles(path, skip));
    else if (e.isFile && /(^|[._])test\.(ts|tsx|mts|js|mjs|jsx)$/.test(e.name)) found.push(path);
  }
  return found.sort();
}

/** Seconds each test file took in the last run (its junit report), to balance the shards. */
function lastDurations(junit: string): Map<string, number> {
  const took = new Map<string, number>();
  try {
    const xml = Deno.readTextFileSync(junit);
    for (const m of xml.matchAll(/<testcase\b[^>]*?classname="\.\/([^"]+)"[^>]*?time="([\d.]+)"/g)) {
      took.set(m[1], (took.get(m[1]) ?? 0) + Number(m[2]));
    }
  } catch { /* first run: every file weighs the same */ }
  return took;
}

/** A module for deno test, and how long it is expected to take. */
type TestModule = { path: string; seconds: number };

/**
 * The unit and integration test files, in `count` modules that import them.
 *
 * deno test gives every test module a fresh isolate, and loading the app's
 * graph (Hono, zod, the SDK, libSQL) again for each of ~75 small files cost
 * more CPU than the tests themselves (about 30 CPU-s against 13 when loaded
 * once per worker). A shard is one isolate running its files one after
 * another, as one file's tests always run; reports still name each test's own
 * file. Files are dealt longest first to the lightest shard, by how long they
 * took last time.
 */
function unitShards(files: string[], count: number, took: Map<string, number>, dir: string): TestModule[] {
  const shards = Array.from({ length: count }, () => ({ weight: 0, files: [] as string[] }));
  const byWeight = [...files].sort((a, b) => (took.get(b) ?? 1) - (took.get(a) ?? 1));
  for (const f of byWeight) {
    const lightest = shards.reduce((a, b) => (b.weight < a.weight ? b : a));
    lightest.files.push(f);
    lightest.weight += took.get(f) ?? 1;
  }
  removeShards(dir);
  return shards.filter((s) => s.files.length).map((s, i) => {
    // Not named *_test.ts: a plain `deno test` finds each file itself, not again through a shard.
    const path = `./${dir}/unit_${i + 1}_of_${count}${SHARD_SUFFIX}`;
    const root = new URL("../", import.meta.url);
    Deno.writeTextFileSync(path, s.files.sort().map((f) => `import "${new URL(f, root).href}";\n`).join(""));
    return { path, seconds: s.weight };
  });
}

const SHARD_SUFFIX = ".shard.ts";
/** Shards a run left behind (one that was stopped), or this run's once it is over. */
function removeShards(dir: string) {
  for (const e of Deno.readDirSync(dir)) {
    if (e.name.endsWith(SHARD_SUFFIX)) Deno.removeSync(`${dir}/${e.name}`);
  }
}

// Before the checks, which would read a shard a stopped run left (git-ignored, but not by deno).
removeShards("e2e");
await ensureChromium();
await steps([
  ["deno fmt --check", ["fmt", "--check"]],
  ["deno lint", ["lint"]],
  ["deno check", ["check", "."]],
  ["frontend build (dist/frontend, served by every test server)", ["run", "-A", "scripts/build.ts"]],
]);

console.log(`\n== deno test (starts at ${elapsed()})`);
const browser = await chromium.launchServer({ executablePath: chromiumPath(), args: CHROMIUM_ARGS })
  .catch((err) => {
    console.log(`Could not start the shared Chromium (${err.message}); each browser test starts its own.`);
    return undefined;
  });
Deno.mkdirSync(".artifacts", { recursive: true });
const junitPath = ".artifacts/junit.xml";
const trustPath = ".artifacts/trust-summary.jsonl";
const took = lastDurations(junitPath);
for (const stale of [junitPath, trustPath]) {
  try {
    Deno.removeSync(stale);
  } catch { /* first run */ }
}
// Twice as many test workers as cores: browser scenarios spend much of their time waiting on the page.
const jobs = (navigator.hardwareConcurrency || 2) * 2;
// The shards sit beside the browser scenarios: deno test starts modules folder by folder, and in the
// order given within a folder, so together they can start longest first.
const shardDir = "e2e";
const unitTests = testFiles(".", new Set(["node_modules", "dist", ".artifacts", ".git", "e2e"]));
// The browser scenarios one module each (a scenario is long; loading its module is not) and the unit
// shards, all longest first by the last run (a scenario not yet timed counts as long as any), so that no
// long one starts last and leaves the other workers idle.
const modules = [
  ...testFiles("e2e", new Set()).map((path) => ({ path, seconds: took.get(path) ?? 60 })),
  ...unitShards(unitTests, jobs, took, shardDir),
].sort((a, b) => b.seconds - a.seconds);
// `deno check .` above has type-checked every test module already; checking them again costs ~5 s.
const code = await run(deno, [
  "test",
  "-A",
  "--no-check",
  "--parallel",
  `--junit-path=${junitPath}`,
  ...modules.map((m) => m.path),
], {
  env: { DENO_JOBS: String(jobs), ...(browser ? { [BROWSER_WS_ENV]: browser.wsEndpoint() } : {}) },
});
await browser?.close();
removeShards(shardDir);
let counted = { tests: 0, failures: 0 };
try {
  counted = countJunit(Deno.readTextFileSync(junitPath));
} catch { /* no report: counted below as a failure */ }
passed += counted.tests - counted.failures;
failed += counted.failures;
if (code !== 0 && counted.failures === 0) failed++;

try {
  const totals = new Map<string, { cases: number; failures: number }>();
  for (const line of Deno.readTextFileSync(trustPath).split("\n").filter(Boolean)) {
    const { category, cases, failures } = JSON.parse(line);
    const t = totals.get(category) ?? { cases: 0, failures: 0 };
    totals.set(category, { cases: t.cases + cases, failures: t.failures + failures });
  }
  console.log("\n== trust suite: cases tried per category");
  for (const [k, v] of [...totals].sort()) {
    console.log(`  ${k.padEnd(26)} ${String(v.cases).padStart(6)} cases  ${v.failures} failures`);
  }
} catch { /* the trust suite did not run */ }

console.log(`\nfinished in ${elapsed()}`);
console.log(`\n${passed} passed, ${failed} failed`);
Deno.exit(failed === 0 ? 0 : 1);
