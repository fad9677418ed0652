/** The cold-start baseline: a bare Deno.serve, spawned exactly as main.ts is (same project, same flags). */
Deno.serve(
  { port: Number(Deno.env.get("PORT")), hostname: "127.0.0.1", onListen() {} },
  () => new Response("ok"),
);
