import { equal, ok } from "node:assert/strict";
import { FaultSpec } from "./switches.ts";

const refusal = (v: unknown) => {
  const r = FaultSpec.safeParse(v);
  return r.success ? undefined : r.error.issues[0].message;
};

Deno.test("a fault is read by its kind, and one that would do nothing is refused", () => {
  equal(refusal({ match: "/v1/connect/accounts" }), "give a status, a delayMs, or both");
  equal(refusal({ upstream: "slack" }), "give a status, a delayMs, or both");
  equal(refusal({ match: "/v1/connect/accounts", delayMs: 5 }), undefined);
  equal(refusal({ upstream: "slack", status: 500, times: 2 }), undefined);
  equal(refusal({ delivery: "drop" }), undefined);
  ok(refusal({ delivery: "drop", times: 0 }));
  ok(refusal({ upstream: "slack", delayMs: 120_001 }));
  ok(refusal({ match: "/x", status: 500, extra: true }), "unknown keys are refused");
});
