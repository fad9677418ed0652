import { deepEqual, equal, throws } from "node:assert/strict";
import { formatSse, sseBody } from "./sse.ts";

const decoder = new TextDecoder();

Deno.test("an SSE message: every data line prefixed, event first, id and retry after", () => {
  equal(
    formatSse({ event: "pd-event", id: "3.1", data: "a\nb\r\nc", retry: 2000 }),
    "event: pd-event\ndata: a\ndata: b\ndata: c\nid: 3.1\nretry: 2000\n\n",
  );
  equal(formatSse({ data: "{}" }), "data: {}\n\n");
  throws(() => formatSse({ event: "x\ny", data: "" }), /line breaks/);
  throws(() => formatSse({ id: "1\r", data: "" }), /line breaks/);
});

Deno.test("an SSE body carries what run sends, heartbeats as comments, and ends when run returns", async () => {
  const body = sseBody(async (sse) => {
    await sse.send({ event: "ready", data: "{}" });
    await sse.heartbeat();
    await sse.send({ data: "x" });
  });
  equal(await new Response(body).text(), "event: ready\ndata: {}\n\n: heartbeat\n\ndata: x\n\n");
});

Deno.test("a client that does not read holds the writer back; one that leaves ends it and says so", async () => {
  let sent = 0;
  let cancelled = 0;
  let finished!: () => void;
  const done = new Promise<void>((r) => (finished = r));
  const body = sseBody(async (sse) => {
    while (!sse.closed && sent < 1000) {
      // Counted as begun: the one that waits is the one past the high-water mark.
      sent++;
      await sse.send({ data: String(sent - 1) });
    }
    finished();
  }, () => cancelled++);
  await new Promise((r) => setTimeout(r, 20));
  // Nobody reads: the queue fills to its high-water mark, then the writer waits.
  equal(sent, 16);
  const reader = body.getReader();
  deepEqual(decoder.decode((await reader.read()).value), "data: 0\n\n");
  await new Promise((r) => setTimeout(r, 20));
  equal(sent, 17, "one read lets the waiting one finish and the next begin");
  await reader.cancel();
  await done;
  equal(cancelled, 1);
});
