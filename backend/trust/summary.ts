/**
 * The trust suite's tally: cases tried and cases failed, per category. A
 * category's cases run through `check`, which keeps going past a failing
 * case, so one run reports every failing case, not the first; the counts go
 * to .artifacts/trust-summary.jsonl whatever happens, and the test runner
 * prints the totals at the end of the suite (test files run in separate
 * workers).
 */
import { AssertionError } from "node:assert";

const FILE = new URL("../../.artifacts/trust-summary.jsonl", import.meta.url);

export function recordCases(category: string, cases: number, failures: number): void {
  Deno.mkdirSync(new URL(".", FILE), { recursive: true });
  Deno.writeTextFileSync(FILE, JSON.stringify({ category, cases, failures }) + "\n", { append: true });
}

export class Tally {
  cases = 0;
  readonly failures: string[] = [];

  /** One case: a throw is counted as its failure, and the next case runs. */
  async check(label: string, run: () => unknown): Promise<void> {
    this.cases++;
    try {
      await run();
    } catch (err) {
      this.failures.push(`${label}: ${(err as Error)?.message ?? String(err)}`);
    }
  }
}

/**
 * Runs a category's cases and records its counts, even when its setup
 * fails (that is one failure more); then fails the test with every failing
 * case's message if any failed.
 */
export async function trustCategory(
  category: string,
  run: (tally: Tally) => Promise<void>,
  record: typeof recordCases = recordCases,
): Promise<void> {
  const tally = new Tally();
  try {
    await run(tally);
  } catch (err) {
    tally.failures.push(`outside any case: ${(err as Error)?.stack ?? String(err)}`);
  } finally {
    record(category, tally.cases, tally.failures.length);
  }
  if (tally.failures.length > 0) {
    throw new AssertionError({
      message: `${category}: ${tally.failures.length} of ${tally.cases} cases failed\n` +
        tally.failures.slice(0, 30).join("\n"),
    });
  }
}
