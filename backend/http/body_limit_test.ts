import { equal, ok, rejects } from "node:assert/strict";
import { ClientAbortError, limitedStream } from "./body_limit.ts";
import type { ApiError } from "./errors.ts";

function source(totalBytes: number, opts: { stallAfter?: number; failAfter?: number } = {}) {
  let pulled = 0;
  const chunk = new Uint8Array(64 * 1024);
  const stream = new ReadableStream<Uint8Array>({
    async pull(ctrl) {
      if (opts.failAfter !== undefined && pulled >= opts.failAfter) {
        return ctrl.error(new Error("connection reset"));
      }
      if (opts.stallAfter !== undefined && pulled >= opts.stallAfter) {
        return await new Promise(() => {}); // never sends again
      }
      if (pulled >= totalBytes) return ctrl.close();
      pulled += chunk.length;
      ctrl.enqueue(chunk);
    },
  });
  return { stream, pulled: () => pulled };
}

Deno.test("a body far over its cap is refused after the cap, not after reading it all", async () => {
  const src = source(64 * 1024 * 1024);
  const body = new Response(limitedStream(src.stream, { maxBytes: 256 * 1024 }));
  await rejects(body.text(), (err: ApiError) => err.status === 413 && err.code === "body_too_large");
  // The cap, the chunk that passed it, and the one the source had ready.
  ok(src.pulled() <= 256 * 1024 + 2 * 64 * 1024, `read ${src.pulled()} bytes of 64 MB`);
});

Deno.test("a body within its cap reads whole", async () => {
  const src = source(192 * 1024);
  const read = await new Response(limitedStream(src.stream, { maxBytes: 256 * 1024 })).arrayBuffer();
  equal(read.byteLength, 192 * 1024);
});

Deno.test("a body that stalls times out (408); one whose client hangs up is a client abort", async () => {
  const stalled = limitedStream(source(1e9, { stallAfter: 64 * 1024 }).stream, { maxBytes: 1e9, idleMs: 50 });
  await rejects(new Response(stalled).text(), (err: ApiError) => err.status === 408);
  const slow = limitedStream(source(1e9, { stallAfter: 64 * 1024 }).stream, {
    maxBytes: 1e9,
    idleMs: 10_000,
    totalMs: 50,
  });
  await rejects(new Response(slow).text(), (err: ApiError) => err.code === "body_timeout");
  const reset = limitedStream(source(1e9, { failAfter: 128 * 1024 }).stream, { maxBytes: 1e9 });
  await rejects(new Response(reset).text(), (err) => err instanceof ClientAbortError);
});
