/**
 * Stands in for Val Town's runtime in valtown_test.ts: imports an HTTP val's
 * module by its URL and serves the module's default export, as Val Town
 * does. Prints its port when ready.
 */
const entry = Deno.args[0];
const { default: handler } = await import(entry);
Deno.serve({
  port: 0,
  hostname: "127.0.0.1",
  onListen: ({ port }) => console.log(`PORT ${port}`),
}, handler);
