/**
 * Counts of cases tried per trust category, printed once at the end of the
 * test run (an unload handler), so the suite ends with its summary.
 */
const counts = new Map<string, { cases: number; failures: number }>();
let registered = false;

export function recordCases(category: string, cases: number, failures = 0): void {
  const c = counts.get(category) ?? { cases: 0, failures: 0 };
  c.cases += cases;
  c.failures += failures;
  counts.set(category, c);
  if (!registered) {
    registered = true;
    globalThis.addEventListener("unload", () => {
      const lines = [...counts].map(([k, v]) =>
        `  ${k.padEnd(24)} ${String(v.cases).padStart(6)} cases, ${v.failures} failures`
      );
      console.log(`\ntrust summary:\n${lines.join("\n")}`);
    });
  }
}
