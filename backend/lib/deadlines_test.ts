import { deepStrictEqual } from "node:assert/strict";
import { eventually } from "../testing/eventually.ts";
import { Deadlines } from "./deadlines.ts";

Deno.test("deadlines expire in order unless cancelled; an earlier one added later is not late", async () => {
  const deadlines = new Deadlines();
  const expired: string[] = [];
  const started = performance.now();
  const at: Record<string, number> = {};
  const add = (name: string, ms: number) =>
    deadlines.add(ms, () => {
      expired.push(name);
      at[name] = performance.now() - started;
    });
  add("slow", 300);
  const cancel = add("cancelled", 100);
  add("quick", 50); // earlier than the timer armed for "slow"
  add("middle", 150);
  cancel();
  await eventually(() => expired.length === 3, { what: "three deadlines expired" });
  deepStrictEqual(expired, ["quick", "middle", "slow"]);
  for (const [name, ms] of [["quick", 50], ["middle", 150], ["slow", 300]] as const) {
    if (at[name] < ms) throw new Error(`${name} expired early: ${at[name]} ms`);
  }
  await new Promise((r) => setTimeout(r, 150));
  deepStrictEqual(expired, ["quick", "middle", "slow"], "the cancelled one never expires");
});
