/**
 * Who is on the other end, for limits per client address. It comes from the
 * connection (what Deno.serve passes the handler); X-Forwarded-For is read
 * only when TRUST_PROXY_HOPS says how many proxies in front of the app append
 * to it, and then only the entry the nearest trusted proxy wrote counts
 * (entries further left are whatever the client sent).
 *
 * IPv6 addresses count per /64: one host usually holds a whole /64, so
 * counting single addresses would let it take 2^64 of them.
 */
import type { Context } from "hono";

export const UNKNOWN_ADDRESS = "unknown";

/**
 * The connection's peer, when the handler was called by Deno.serve: its
 * handler info, as hono/deno's getConnInfo reads it (that adapter is not
 * imported: it would add to every cold start, lib/lazy.ts).
 */
function connectionAddress(c: Context): string | undefined {
  const env = c.env as Partial<Deno.ServeHandlerInfo<Deno.NetAddr>> | undefined;
  return env?.remoteAddr?.hostname || undefined;
}

export function clientAddress(c: Context, trustProxyHops: number): string {
  const peer = connectionAddress(c);
  if (trustProxyHops > 0) {
    const forwarded = (c.req.header("x-forwarded-for") ?? "").split(",").map((s) => s.trim()).filter(
      Boolean,
    );
    // With N trusted proxies, the Nth entry from the right is the address the
    // outermost one saw; fewer entries means the request skipped a proxy.
    const seen = forwarded[forwarded.length - trustProxyHops];
    if (seen) return addressKey(seen);
  }
  return peer ? addressKey(peer) : UNKNOWN_ADDRESS;
}

/** The key limits count under: an IPv4 address, or the /64 of an IPv6 one. */
export function addressKey(raw: string): string {
  const address = raw.replace(/^\[|\]$/g, "").replace(/%.*$/, "").toLowerCase();
  const mapped = address.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/);
  if (mapped) return mapped[1];
  if (/^\d+\.\d+\.\d+\.\d+$/.test(address)) return address;
  if (!address.includes(":") || !/^[0-9a-f:.]+$/.test(address)) return UNKNOWN_ADDRESS;
  return `${expandIpv6(address).slice(0, 4).join(":")}::/64`;
}

function expandIpv6(address: string): string[] {
  const [head, tail] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail !== undefined && tail !== "" ? tail.split(":") : [];
  const missing = 8 - left.length - right.length;
  const groups = tail === undefined ? left : [...left, ...Array(Math.max(0, missing)).fill("0"), ...right];
  return groups.map((g) => (g.includes(".") ? g : (parseInt(g || "0", 16) || 0).toString(16)));
}
