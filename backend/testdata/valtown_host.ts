/**
 * Stands in for Val Town's runtime in valtown_test.ts: imports an HTTP val's
 * module by its URL and serves the module's default export, as Val Town
 * does, telling it its entry point in VALTOWN_ENTRYPOINT as Val Town does.
 * Arguments: the module's URL, and the port to serve on (default: any).
 * Prints its port when ready.
 */
const [entry, port = "0"] = Deno.args;
Deno.env.set("VALTOWN_ENTRYPOINT", entry);
const { default: handler } = await import(entry);
Deno.serve({
  port: Number(port),
  hostname: "127.0.0.1",
  onListen: ({ port }) => console.log(`PORT ${port}`),
}, handler);
