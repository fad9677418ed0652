/**
 * Many instances on one database, as on Val Town: two app processes start
 * at the same moment on a fresh database file, behind one public address
 * (APP_URL, a TCP forwarder here). A session made on one works on the
 * other; rate limits and caps are shared; an event received by one reaches
 * a stream open on the other; settings are created once.
 *
 * Requests are sent to a chosen instance directly, with the public Host.
 */
import { deepStrictEqual, equal, match, ok } from "node:assert/strict";
import { openDatabase } from "../database/db.ts";
import { SANDBOX_SECRET_SETTING } from "../runtime.ts";
import { SANDBOX_CREDENTIALS } from "../sandbox/credentials.ts";
import { connectAccountViaSandbox } from "../sandbox/testing.ts";
import { rawRequest, rawStream } from "../testing/raw_http.ts";
import { type ChildServer, spawnServer } from "../testing/child_server.ts";
import { trustCategory } from "./summary.ts";

type Instance = ChildServer;

const spawnInstance = (databaseUrl: string, env: Record<string, string>, limits: unknown, startAt: number) =>
  spawnServer(new URL("../testing/serve_instance.ts", import.meta.url), [
    JSON.stringify({ databaseUrl, env, limits, startAt }),
  ]);

/** The public address: a TCP forwarder to instance A (bytes unchanged, so the Host is the public one). */
function forwarder() {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let target = 0;
  const conns: Deno.Conn[] = [];
  (async () => {
    for await (const conn of listener) {
      conns.push(conn);
      Deno.connect({ hostname: "127.0.0.1", port: target }).then((upstream) => {
        conns.push(upstream);
        conn.readable.pipeTo(upstream.writable).catch(() => {});
        upstream.readable.pipeTo(conn.writable).catch(() => {});
      }, () => conn.close());
    }
  })().catch(() => {});
  return {
    url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    to(url: string) {
      target = Number(new URL(url).port);
    },
    close() {
      listener.close();
      for (const c of conns) {
        try {
          c.close();
        } catch { /* closed already */ }
      }
    },
  };
}

/** A browser of the public site whose requests go to the instance it names. */
class Visitor {
  cookie = "";
  constructor(private publicUrl: string) {}

  async call(instance: Instance, method: string, path: string, json?: unknown) {
    const host = new URL(this.publicUrl).host;
    const headers: Record<string, string> = { host, ...(this.cookie ? { cookie: this.cookie } : {}) };
    if (method !== "GET") {
      Object.assign(headers, { origin: this.publicUrl, "content-type": "application/json" });
    }
    const res = await rawRequest(
      instance.url,
      method,
      path,
      headers,
      json === undefined ? "" : JSON.stringify(json),
    );
    if (!res) throw new Error(`${method} ${path}: no answer`);
    const set = res.headers.get("set-cookie");
    if (set) this.cookie = set.split(";")[0];
    const body = res.body.trim() ? JSON.parse(res.body) : undefined;
    return { status: res.status, body };
  }
}

Deno.test("two instances on one database: sessions, limits, caps, events and settings are shared", async () => {
  const dir = await Deno.makeTempDir();
  const databaseUrl = `file:${dir}/shared.db`;
  const site = forwarder();
  const env = { APP_URL: site.url, MAX_TRIGGERS_PER_USER: "1" };
  const limits = { connectTokens: { capacity: 3, perMinute: 1 }, streams: { perSession: 1 } };
  const streams: Array<{ close(): void }> = [];
  const instances: Instance[] = [];
  await trustCategory("two instances", async (t) => {
    try {
      // Both start at the same moment (once loaded) on a database that does not exist yet.
      const startAt = Date.now() + 3000;
      const [a, b] = await Promise.all([
        spawnInstance(databaseUrl, env, limits, startAt),
        spawnInstance(databaseUrl, env, limits, startAt),
      ]);
      instances.push(a, b);
      site.to(a.url);
      const db = await openDatabase(databaseUrl);

      await t.check("settings and migrations were written once", async () => {
        // The one stored client secret opens both sandboxes.
        const secrets = await db.execute({
          sql: "SELECT value FROM app_settings WHERE key = ?",
          args: [SANDBOX_SECRET_SETTING],
        });
        equal(secrets.rows.length, 1);
        for (const instance of [a, b]) {
          const res = await rawRequest(
            instance.url,
            "POST",
            "/sandbox/v1/oauth/token",
            { host: new URL(site.url).host, "content-type": "application/json" },
            JSON.stringify({
              grant_type: "client_credentials",
              client_id: SANDBOX_CREDENTIALS.clientId,
              client_secret: String(secrets.rows[0].value),
            }),
          );
          equal(res?.status, 200, `${instance.url}: ${res?.body}`);
        }
        const migrations = await db.execute(
          "SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS d FROM schema_migrations",
        );
        equal(Number(migrations.rows[0].n), Number(migrations.rows[0].d));
      });

      const alice = new Visitor(site.url);
      const started = await alice.call(a, "POST", "/api/session", {});
      await t.check("a session made on A works on B", async () => {
        equal(started.status, 200);
        equal((await alice.call(b, "GET", "/api/session")).body.externalUserId, started.body.externalUserId);
      });

      await t.check(
        "rate limits are shared: 3 token mints in all, whichever instance serves them",
        async () => {
          const mints = [];
          for (const instance of [a, b, a, b]) {
            mints.push((await alice.call(instance, "POST", "/api/connect/token", { fresh: true })).status);
          }
          deepStrictEqual(mints, [200, 200, 200, 429]);
        },
      );

      const token = await db.execute({
        sql:
          "SELECT token FROM sandbox_connect_tokens WHERE external_user_id = ? AND used_at IS NULL LIMIT 1",
        args: [started.body.externalUserId],
      });
      const { accountId } = await connectAccountViaSandbox(
        `${site.url}/sandbox`,
        String(token.rows[0].token),
        "slack",
      );
      ok(accountId);
      await t.check("the per-user trigger cap is shared", async () => {
        const deploy = (instance: Instance, channel: string) =>
          alice.call(instance, "POST", "/api/triggers", {
            triggerId: "slack-new-message",
            configuredProps: { slack: { authProvisionId: accountId }, channel },
          });
        equal((await deploy(a, "C01GENERAL")).status, 201);
        equal((await deploy(b, "C02RANDOM")).status, 409);
      });

      const headers = { host: new URL(site.url).host, cookie: alice.cookie };
      const onBStream = await rawStream(b.url, "/api/events/stream", headers);
      streams.push(onBStream);
      await t.check("stream caps are shared: one open on B, a second on A is refused", async () => {
        equal(onBStream.status, 200);
        await onBStream.until(/event: ready/);
        const onAStream = await rawStream(a.url, "/api/events/stream", headers);
        streams.push(onAStream);
        equal(onAStream.status, 429);
      });

      await t.check("an event received by A reaches the stream open on B", async () => {
        const ran = await alice.call(a, "POST", "/api/actions/run", {
          actionId: "slack-send-message",
          configuredProps: {
            slack: { authProvisionId: accountId },
            channel: "C01GENERAL",
            text: "across instances",
          },
        });
        equal(ran.status, 200);
        match(await onBStream.until(/event: pd-event[\s\S]*across instances/), /across instances/);
      });

      await t.check("Forget me on B ends the session everywhere", async () => {
        equal((await alice.call(b, "POST", "/api/session/forget", { confirm: true })).status, 200);
        const stale = new Visitor(site.url);
        stale.cookie = headers.cookie;
        equal((await stale.call(a, "GET", "/api/session")).body.externalUserId, null);
      });
      db.close();
    } finally {
      for (const s of streams) s.close();
      for (const i of instances) await i.kill();
      site.close();
      await Deno.remove(dir, { recursive: true });
    }
  });
});
