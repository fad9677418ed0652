/**
 * Local runner: serves the Val Town entry with Deno.serve. Not part of what
 * is deployed to Val Town.
 */
import { ConfigError, loadConfig } from "./backend/config.ts";

let port: number;
try {
  const config = loadConfig(Deno.env.toObject());
  port = config.port;
  if (port === 0 && !config.appUrl) {
    // The app's origin is where it listens (backend/http/origin.ts): a random port cannot be known ahead.
    throw new ConfigError("PORT=0 (a random port) needs APP_URL, the address browsers will use.");
  }
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`pipedream-connect cannot start: ${err.message}`);
    Deno.exit(1);
  }
  throw err;
}
// It listens while the app loads: a request that comes meanwhile (the one that woke it, often) waits for the
// app, rather than finding no one there. An app that fails to start ends the process, as before.
const app = import("./backend/index.ts").then((m) => m.default);
Deno.serve({
  port,
  hostname: Deno.env.get("HOST") ?? "127.0.0.1",
  onListen: ({ hostname, port }) => console.log(`pipedream-connect: listening on http://${hostname}:${port}`),
}, async (req, info) => (await app)(req, info));
await app;
