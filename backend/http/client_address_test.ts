import { equal } from "node:assert/strict";
import { Hono } from "hono";
import { addressKey, clientAddress, UNKNOWN_ADDRESS } from "./client_address.ts";

function addressOf(opts: { peer?: string; forwarded?: string; hops: number }): Promise<string> {
  const app = new Hono();
  app.get("/", (c) => c.text(clientAddress(c, opts.hops)));
  const env = opts.peer ? { remoteAddr: { transport: "tcp", hostname: opts.peer, port: 5000 } } : undefined;
  const headers = opts.forwarded ? { "x-forwarded-for": opts.forwarded } : undefined;
  return Promise.resolve(app.request("/", { headers }, env)).then((r) => r.text());
}

Deno.test("the client address is the connection's unless proxies are trusted", async () => {
  equal(await addressOf({ peer: "203.0.113.7", hops: 0 }), "203.0.113.7");
  // Without trust, X-Forwarded-For is whatever the client wrote: ignored.
  equal(await addressOf({ peer: "203.0.113.7", forwarded: "198.51.100.1", hops: 0 }), "203.0.113.7");
  equal(await addressOf({ hops: 0 }), UNKNOWN_ADDRESS, "no connection info (Val Town) and no trust");
});

Deno.test("with N trusted proxies, the Nth X-Forwarded-For entry from the right counts, not what the client prepended", async () => {
  equal(await addressOf({ peer: "10.0.0.2", forwarded: "198.51.100.1", hops: 1 }), "198.51.100.1");
  equal(await addressOf({ peer: "10.0.0.2", forwarded: "6.6.6.6, 198.51.100.1", hops: 1 }), "198.51.100.1");
  equal(
    await addressOf({ peer: "10.0.0.2", forwarded: "6.6.6.6, 198.51.100.1, 10.0.0.9", hops: 2 }),
    "198.51.100.1",
  );
  // Fewer entries than proxies: the request skipped one; the connection's address counts.
  equal(await addressOf({ peer: "10.0.0.2", forwarded: "198.51.100.1", hops: 2 }), "10.0.0.2");
  equal(await addressOf({ peer: "10.0.0.2", hops: 1 }), "10.0.0.2");
});

Deno.test("IPv6 addresses count per /64; mapped IPv4 as IPv4; junk as unknown", () => {
  equal(addressKey("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
  equal(addressKey("2001:db8:1:2::ffff"), "2001:db8:1:2::/64");
  equal(addressKey("[2001:DB8:1:2:aaaa::1]"), "2001:db8:1:2::/64");
  equal(addressKey("::1"), "0:0:0:0::/64");
  equal(addressKey("::ffff:192.0.2.1"), "192.0.2.1");
  equal(addressKey("fe80::1%eth0"), "fe80:0:0:0::/64");
  equal(addressKey("not an address"), UNKNOWN_ADDRESS);
  equal(addressKey("1.2.3.4<script>"), UNKNOWN_ADDRESS);
});
