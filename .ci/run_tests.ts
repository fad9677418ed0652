/**
 * The whole test command: format, lint, type check, then every test (unit,
 * integration, browser). Installs what the browser tests need when it is
 * missing, saying so. Ends with the line CI reads: `N passed, N failed`.
 *
 * Kept fast on a small machine: the checks and the frontend build run side by
 * side; the frontend is built once (`dist/frontend`, which every test server
 * then serves instead of bundling again); and one Chromium serves every
 * browser test (each scenario in its own context; see e2e/browser.ts).
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

async function ensureChromium() {
  const path = Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium";
  if (existsSync(path)) return;
  console.log(
    `\n== Chromium is missing at ${path}: installing Debian's chromium package for the browser tests`,
  );
  const sudo = Deno.uid?.() === 0 ? [] : ["sudo"];
  const apt = (args: string[]) => run(sudo[0] ?? "apt-get", sudo.length ? ["apt-get", ...args] : args);
  if (await apt(["update", "-q"]) !== 0 || await apt(["install", "-y", "-q", "chromium"]) !== 0) {
    console.log("Could not install chromium; browser tests will fail.");
  }
}

function countJunit(xml: string): { tests: number; failures: number } {
  // Count leaf test cases: a <testcase> element per test and per step.
  const cases = xml.match(/<testcase\b[^>]*?(\/>|>[\s\S]*?<\/testcase>)/g) ?? [];
  const failures = cases.filter((c) => /<failure\b/.test(c)).length;
  return { tests: cases.length, failures };
}

/**
 * Every test module, the browser scenarios first: they are the long ones, and
 * the many short tests then fill the workers' ends. (deno test runs files
 * named on the command line before those found in directories.)
 */
function testOrder(): string[] {
  const skip = new Set(["node_modules", "dist", ".artifacts", ".git", "e2e"]);
  const dirs = new Set<string>();
  const walk = (dir: string, top: string) => {
    for (const e of Deno.readDirSync(dir)) {
      if (e.isDirectory && !(dir === "." && skip.has(e.name))) walk(`${dir}/${e.name}`, top || e.name);
      else if (e.isFile && e.name.endsWith("_test.ts")) dirs.add(top || `${dir}/${e.name}`);
    }
  };
  walk(".", "");
  const browser = [...Deno.readDirSync("e2e")].filter((e) => e.name.endsWith("_test.ts"))
    .map((e) => `e2e/${e.name}`).sort();
  return [...browser, ...[...dirs].sort()];
}

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
for (const stale of [junitPath, trustPath]) {
  try {
    Deno.removeSync(stale);
  } catch { /* first run */ }
}
// Twice as many test workers as cores: browser scenarios spend much of their time waiting on the page.
const jobs = String((navigator.hardwareConcurrency || 2) * 2);
// `deno check .` above has type-checked every test module already; checking them again costs ~5 s.
const code = await run(deno, [
  "test",
  "-A",
  "--no-check",
  "--parallel",
  `--junit-path=${junitPath}`,
  ...testOrder(),
], {
  env: { DENO_JOBS: jobs, ...(browser ? { [BROWSER_WS_ENV]: browser.wsEndpoint() } : {}) },
});
await browser?.close();
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
