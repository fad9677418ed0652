/**
 * Counts of cases tried per trust category. Each test file appends its
 * counts to .artifacts/trust-summary.jsonl; the test runner prints the totals
 * at the end of the suite (test files run in separate workers).
 */
const FILE = new URL("../../.artifacts/trust-summary.jsonl", import.meta.url);

export function recordCases(category: string, cases: number, failures = 0): void {
  Deno.mkdirSync(new URL(".", FILE), { recursive: true });
  Deno.writeTextFileSync(FILE, JSON.stringify({ category, cases, failures }) + "\n", { append: true });
}
