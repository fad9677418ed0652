import { equal, match, rejects } from "node:assert/strict";
import { eventually, withDeadline } from "./eventually.ts";

Deno.test("eventually returns the first value that holds", async () => {
  let n = 0;
  equal(await eventually(() => ++n >= 3 && n, { intervalMs: 1 }), 3);
});

Deno.test("eventually retries through failed assertions and reports the last one", async () => {
  let n = 0;
  await rejects(
    eventually(() => {
      n++;
      equal(n, -1, `attempt ${n}`);
      return true;
    }, { timeoutMs: 100, intervalMs: 10, what: "n to be -1" }),
    (err: Error) => {
      match(err.message, /^n to be -1 did not hold within 100 ms; last: attempt \d+/);
      return n > 1;
    },
  );
});

Deno.test("eventually cuts off an attempt that hangs", async () => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<boolean>((r) => timer = setTimeout(() => r(true), 10_000));
  await rejects(eventually(() => hang, { timeoutMs: 50 }), /an attempt was still running/);
  clearTimeout(timer);
});

Deno.test("withDeadline passes a result through and refuses to wait past the deadline", async () => {
  equal(await withDeadline(Promise.resolve(7), Date.now() + 1000), 7);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const never = new Promise((r) => timer = setTimeout(r, 10_000));
  await rejects(withDeadline(never, Date.now() + 20, "the never"), /the never: still waiting after/);
  clearTimeout(timer);
});
