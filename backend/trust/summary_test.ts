import { deepStrictEqual, equal, rejects } from "node:assert/strict";
import { trustCategory } from "./summary.ts";

type Recorded = [string, number, number];

Deno.test("a category counts every failing case, keeps going past them, and fails the test", async () => {
  const recorded: Recorded[] = [];
  let ran = 0;
  await rejects(
    trustCategory("demo", async (t) => {
      await t.check("fine", () => ran++);
      await t.check("broken", () => equal(1, 2, "one is not two"));
      await t.check("also broken", () => Promise.reject(new Error("boom")));
      await t.check("after the failures", () => ran++);
    }, (...r) => recorded.push(r)),
    /demo: 2 of 4 cases failed\nbroken: one is not two\nalso broken: boom/,
  );
  equal(ran, 2);
  deepStrictEqual(recorded, [["demo", 4, 2]]);
});

Deno.test("a category whose setup fails still records, with that failure counted", async () => {
  const recorded: Recorded[] = [];
  await rejects(
    trustCategory("setup", async (t) => {
      await t.check("one", () => {});
      throw new Error("server did not start");
    }, (...r) => recorded.push(r)),
    /outside any case: Error: server did not start/,
  );
  deepStrictEqual(recorded, [["setup", 1, 1]]);
});

Deno.test("a clean category records its cases and no failures", async () => {
  const recorded: Recorded[] = [];
  await trustCategory("clean", async (t) => {
    for (let i = 0; i < 3; i++) await t.check(`case ${i}`, () => {});
  }, (...r) => recorded.push(r));
  deepStrictEqual(recorded, [["clean", 3, 0]]);
});
