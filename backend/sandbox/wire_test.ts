import { deepEqual, equal, throws } from "node:assert/strict";
import { toBase64 } from "../../shared/encoding.ts";
import { paginate } from "./wire.ts";

Deno.test("pages carry an end_cursor up to the last one; the empty page after it has none", () => {
  const items = [1, 2, 3, 4, 5];
  const first = paginate(items, undefined, 2);
  deepEqual(first.data, [1, 2]);
  const last = paginate(items, paginate(items, first.page_info.end_cursor!, 2).page_info.end_cursor!, 2);
  deepEqual(last.data, [5]);
  equal(typeof last.page_info.end_cursor, "string", "the documented examples give the last page a cursor");
  const after = paginate(items, last.page_info.end_cursor!, 2);
  deepEqual([after.data, after.page_info.end_cursor], [[], null]);
});

Deno.test("a cursor the list did not hand out is a 400, not a 500", () => {
  for (const bad of ["%%%", toBase64("x:1"), toBase64("c:-1"), "c:1"]) {
    throws(() => paginate([1], bad, 10), (e: { status?: number }) => e.status === 400, bad);
  }
});
