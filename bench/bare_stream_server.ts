/**
 * The event-stream benchmark's floor: a bare Deno.serve that holds each
 * request open as an event stream (the same `ready` event, a heartbeat to
 * every stream every 15 s as the app sends), and does nothing else. What
 * open, idle connections cost the runtime itself, beside which the app's
 * figure is read. Prints "PORT <n>" when ready.
 */
const HEARTBEAT_MS = 15_000;
const encoder = new TextEncoder();
const open = new Set<ReadableStreamDefaultController<Uint8Array>>();

setInterval(() => {
  const beat = encoder.encode(": heartbeat\n\n");
  for (const c of open) c.enqueue(beat);
}, HEARTBEAT_MS);

Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: ({ port }) => console.log(`PORT ${port}`) }, (req) => {
  let mine: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      mine = c;
      open.add(c);
      c.enqueue(encoder.encode(`event: ready\ndata: {}\nretry: 2000\n\n`));
    },
    cancel() {
      open.delete(mine);
    },
  });
  req.signal.addEventListener("abort", () => open.delete(mine));
  return new Response(body, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-store" },
  });
});
