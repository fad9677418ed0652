/**
 * Abuse resistance, tried as an attacker would against a running app: the
 * Host header, throwaway identities, bodies far over their caps, floods of
 * event streams, a disk that fails at the worst moment, planted cookies,
 * hostile input in logs. Each case here failed before its fix.
 */
import { deepStrictEqual, equal, match, ok } from "node:assert/strict";
import { ManualClock } from "../lib/clock.ts";
import { sandboxAccessToken } from "../sandbox/testing.ts";
import {
  connectAccount,
  countAllRows,
  settledRowCounts,
  TestBrowser,
  withServer,
} from "../testing/fixtures.ts";
import { eventually } from "../testing/eventually.ts";
import type { TestServer } from "../testing/harness.ts";
import { floodChunked, rawRequest, stallBody } from "../testing/raw_http.ts";
import { trustCategory } from "./summary.ts";

const JSON_HEADERS = { "content-type": "application/json" };

/** A browser that says which address it comes from (the app trusts one proxy in these tests). */
function browserAt(server: TestServer, address: string, opts: { session?: boolean } = {}): TestBrowser {
  const b = new TestBrowser(server.url, opts);
  const inner = b.fetch.bind(b);
  b.fetch = (path, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set("x-forwarded-for", address);
    return inner(path, { ...init, headers });
  };
  return b;
}

async function captureErrors<T>(fn: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  const error = console.error;
  console.error = (...args: unknown[]) =>
    lines.push(args.map((a) => (a instanceof Error ? a.stack : String(a))).join(" "));
  try {
    return { result: await fn(), lines };
  } finally {
    console.error = error;
  }
}

Deno.test("the request never chooses the app's origin", async () => {
  await trustCategory("abuse: origin", (t) =>
    withServer(async (server) => {
      const { port } = new URL(server.url);
      const alice = new TestBrowser(server.url);
      await alice.startSession();

      // The reported attack: Host 127.0.0.1:9 with a matching Origin, to register that as the webhook URI.
      await t.check("Host 127.0.0.1:9 with a matching Origin", async () => {
        const hijack = await rawRequest(server.url, "POST", "/api/connect/token", {
          host: "127.0.0.1:9",
          origin: "http://127.0.0.1:9",
          cookie: alice.cookie,
          ...JSON_HEADERS,
        }, "{}");
        equal(hijack?.status, 421);
        equal(JSON.parse(hijack!.body).error.code, "unknown_host");
      });
      // Deno builds the routed path from Host: these would reach other routes.
      for (const host of [`localhost:${port}/sandbox/admin/faults?`, `localhost:${port}#`, "evil.example"]) {
        await t.check(`Host: ${host}`, async () => {
          equal((await rawRequest(server.url, "GET", "/api/session", { host }))?.status, 421, host);
        });
      }
      await t.check("an absolute-form request line naming another host", async () => {
        equal((await rawRequest(server.url, "GET", "http://evil.example/api/session", {}))?.status, 421);
      });
      // Both configured names work; what a token is minted with is configuration, whichever was used.
      for (const host of [`localhost:${port}`, `127.0.0.1:${port}`]) {
        await t.check(`a token minted through ${host}`, async () => {
          const res = await rawRequest(server.url, "POST", "/api/connect/token", {
            host,
            origin: `http://${host}`,
            cookie: alice.cookie,
            ...JSON_HEADERS,
          }, JSON.stringify({ fresh: true }));
          equal(res?.status, 200, host);
        });
      }
      const tokens = await server.db.execute(
        "SELECT webhook_uri, success_redirect_uri, allowed_origins FROM sandbox_connect_tokens",
      );
      const own = [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
      await t.check("tokens name only the configured origins", () => {
        for (const row of tokens.rows) {
          ok(own.some((o) => String(row.webhook_uri).startsWith(`${o}/webhooks/`)), String(row.webhook_uri));
          ok(own.some((o) => String(row.success_redirect_uri).startsWith(`${o}/`)));
          deepStrictEqual(JSON.parse(String(row.allowed_origins)), own);
        }
      });

      // The embedded sandbox sends webhooks and users only to the app: refused at the API...
      const serverToken = await sandboxAccessToken(`${server.url}/sandbox`);
      for (
        const [path, body] of [
          ["/v1/connect/proj_sandbox/tokens", {
            external_user_id: "u_x",
            webhook_uri: "http://127.0.0.1:9/hook",
          }],
          ["/v1/connect/proj_sandbox/tokens", {
            external_user_id: "u_x",
            success_redirect_uri: "https://evil.example/",
          }],
        ] as const
      ) {
        await t.check(`the sandbox refuses ${JSON.stringify(body)}`, async () => {
          const res = await fetch(`${server.url}/sandbox${path}`, {
            method: "POST",
            headers: {
              authorization: `Bearer ${serverToken}`,
              "x-pd-environment": "development",
              ...JSON_HEADERS,
            },
            body: JSON.stringify(body),
          });
          equal(res.status, 400, JSON.stringify(body));
          match((await res.json()).error, /only to this app/);
        });
      }
      // ...and when sending (a URL stored before the app's address changed).
      let hits = 0;
      const elsewhere = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, () => {
        hits++;
        return new Response("ok");
      });
      try {
        await t.check("a delivery stored for another origin is not sent", async () => {
          const slack = await connectAccount(alice, server, "slack");
          const deployed = await alice.json<{ id: string }>("/api/triggers", {
            json: {
              triggerId: "slack-new-message",
              configuredProps: { slack: { authProvisionId: slack }, channel: "C01GENERAL" },
            },
          });
          await server.db.execute({
            sql: "UPDATE sandbox_deployments SET webhook_url = ? WHERE id = ?",
            args: [`http://127.0.0.1:${elsewhere.addr.port}/`, deployed.body.id],
          });
          await alice.json("/api/actions/run", {
            json: {
              actionId: "slack-send-message",
              configuredProps: { slack: { authProvisionId: slack }, channel: "C01GENERAL", text: "x" },
            },
          });
          await server.sandbox.flushDeliveries();
          equal(hits, 0, "nothing reached another origin");
          const sent = await server.db.execute(
            "SELECT last_error FROM sandbox_deliveries ORDER BY id DESC LIMIT 1",
          );
          match(String(sent.rows[0].last_error), /delivers only to this app/);
        });
        await t.check("a redirect stored for another origin is dropped, not followed", async () => {
          const minted = await alice.json<{ token: string }>("/api/connect/token", { json: { fresh: true } });
          await server.db.execute({
            sql:
              "UPDATE sandbox_connect_tokens SET success_redirect_uri = 'https://evil.example/' WHERE token = ?",
            args: [minted.body.token],
          });
          const info = await (await fetch(
            `${server.url}/sandbox/v1/connect/tokens/${minted.body.token}/validate?app_id=slack`,
          )).json();
          equal(info.success, true);
          equal(info.success_redirect_uri, undefined);
        });
      } finally {
        await elsewhere.shutdown();
      }
    }));
});

Deno.test("an anonymous identity is not free: limits per address, a trigger cap per installation, reads that write nothing", async () => {
  await trustCategory("abuse: identities", (t) =>
    withServer(async (server) => {
      // 300 cookie-less token mints from one address: each needs a new identity, and those are limited.
      await t.check("300 cookie-less token mints from one address", async () => {
        let minted = 0;
        for (let i = 0; i < 300; i++) {
          const b = browserAt(server, "198.51.100.7", { session: false });
          const started = await b.fetch("/api/session", { json: {} });
          await started.body?.cancel();
          if (started.status !== 200) continue;
          const res = await b.fetch("/api/connect/token", { json: {} });
          if (res.status === 200) minted++;
          await res.body?.cancel();
        }
        ok(minted <= 12, `${minted} of 300 mints from one address went through`);
      });
      await t.check("another address is not punished for it", async () => {
        equal((await browserAt(server, "203.0.113.5").json("/api/connect/token", { json: {} })).status, 200);
      });
      await t.check("one identity's mints stop at its limit", async () => {
        const heavy = browserAt(server, "192.0.2.44");
        const statuses = new Set<number>();
        for (let i = 0; i < 80; i++) {
          statuses.add((await heavy.json("/api/connect/token", { json: { fresh: true } })).status);
        }
        ok(statuses.has(429));
      });

      await t.check("triggers: a cap per installation, whoever asks", async () => {
        const deployers = ["198.51.100.20", "198.51.100.21", "198.51.100.22"].map((a) =>
          browserAt(server, a)
        );
        const results: number[] = [];
        for (const [i, b] of deployers.entries()) {
          const slack = await connectAccount(b, server, "slack");
          for (let k = 0; k < 2; k++) {
            const res = await b.json<{ error?: { code: string } }>("/api/triggers", {
              json: {
                triggerId: "slack-new-message",
                configuredProps: { slack: { authProvisionId: slack }, channel: `C0${i}${k}` },
              },
            });
            results.push(res.status);
            if (res.status === 503) equal(res.body.error?.code, "trigger_capacity");
          }
        }
        equal(results.filter((s) => s === 201).length, 4, results.join());
        equal(results.filter((s) => s === 503).length, 2);
      });

      await t.check(
        "reading writes no row: the page, the session and the API without a session",
        async () => {
          // The deploys above may still be landing their first events: start from a database at rest.
          const before = await settledRowCounts(server);
          const reader = new TestBrowser(server.url, { session: false });
          for (
            const path of [
              "/",
              "/api/session",
              "/api/accounts",
              "/api/runs",
              "/api/events",
              "/?connect=success",
            ]
          ) {
            await (await reader.fetch(path)).body?.cancel();
          }
          deepStrictEqual(await countAllRows(server), before, "a plain GET wrote a row");
        },
      );
    }, {
      env: { TRUST_PROXY_HOPS: "1", MAX_TRIGGERS_TOTAL: "4" },
      limits: { perAddress: { newSessions: { capacity: 10, perMinute: 6 } } },
    }));
});

Deno.test("storage budgets: 100 failing runs with large props add little to the database", async () => {
  await trustCategory("abuse: storage", (t) =>
    withServer(async (server) => {
      const alice = new TestBrowser(server.url);
      const slack = await connectAccount(alice, server, "slack");
      const size = async () => {
        const rs = await server.db.execute(
          `SELECT (SELECT COALESCE(SUM(length(configured_props) + length(COALESCE(error, ''))), 0) FROM action_runs) +
          (SELECT COALESCE(SUM(length(COALESCE(request_body, '')) + length(COALESCE(response_body, ''))), 0) FROM sdk_calls)
          + (SELECT COALESCE(SUM(length(configured_props)), 0) FROM sandbox_dynamic_props) AS n`,
        );
        return Number(rs.rows[0].n);
      };
      await t.check("100 failing runs with 200 KB props", async () => {
        const before = await size();
        const big = "x".repeat(200_000);
        for (let i = 0; i < 100; i++) {
          const res = await alice.json<{ outcome?: string }>("/api/actions/run", {
            json: {
              actionId: "slack-send-message",
              configuredProps: { slack: { authProvisionId: slack }, channel: "nope", text: big },
            },
          });
          // A failed run: refused (4xx) or run and failed (200, outcome "error"), as Pipedream answers either.
          ok(
            res.status < 500 && (res.status !== 200 || res.body.outcome === "error"),
            `run ${i}: ${res.status}`,
          );
        }
        const grown = (await size()) - before;
        ok(grown < 2_000_000, `100 runs of 200 KB props stored ${grown} bytes`);
      });
    }, {
      limits: {
        actionRuns: { capacity: 200, perMinute: 60 },
        perAddress: { actionRuns: { capacity: 200, perMinute: 60 } },
      },
    }));
});

Deno.test("bodies are capped while they stream, on every route of the app and the sandbox", async () => {
  await trustCategory("abuse: bodies", (t) =>
    withServer(async (server) => {
      const alice = new TestBrowser(server.url);
      await alice.startSession();
      const origin = { origin: server.url, ...JSON_HEADERS };
      const routes: Array<[string, Record<string, string>]> = [
        ["/api/actions/run", { ...origin, cookie: alice.cookie }],
        ["/api/session", origin],
        ["/webhooks/pipedream/triggers", JSON_HEADERS],
        ["/sandbox/v1/oauth/token", JSON_HEADERS],
        ["/sandbox/_static/connect/authorize", JSON_HEADERS],
        ["/sandbox/v1/connect/proj_sandbox/actions/run", {
          ...JSON_HEADERS,
          authorization: `Bearer ${await sandboxAccessToken(`${server.url}/sandbox`)}`,
          "x-pd-environment": "development",
        }],
        ["/", JSON_HEADERS],
      ];
      const rssBefore = Deno.memoryUsage().rss;
      for (const [path, headers] of routes) {
        await t.check(`64 MB chunked to ${path}`, async () => {
          const { sent, response } = await floodChunked(server.url, path, headers, 64 * 1024 * 1024);
          ok(sent < 24 * 1024 * 1024, `${path}: the server read ${sent} bytes of a 64 MB body`);
          if (path !== "/") equal(response?.status, 413, `${path}: ${response?.status} ${response?.body}`);
        });
      }
      await t.check("memory stays flat", () => {
        const grownMb = (Deno.memoryUsage().rss - rssBefore) / 1024 / 1024;
        ok(grownMb < 96, `memory grew ${grownMb.toFixed(0)} MB over ${routes.length} floods`);
      });

      // A body that stalls times out; a client that hangs up mid-upload is one line, not a storage error.
      await t.check("a body that stalls times out", async () => {
        const stalled = await stallBody(server.url, "/api/session", origin, "{", 100);
        equal(stalled?.status, 408);
      });
      await t.check("an aborted upload is one log line", async () => {
        const { lines } = await captureErrors(async () => {
          const conn = await Deno.connect({ hostname: "127.0.0.1", port: Number(new URL(server.url).port) });
          await conn.write(new TextEncoder().encode(
            `POST /api/actions/run HTTP/1.1\r\nhost: ${
              new URL(server.url).host
            }\r\norigin: ${server.url}\r\n` +
              `cookie: ${alice.cookie}\r\ncontent-type: application/json\r\ncontent-length: 5000\r\n\r\n{"actionId":`,
          ));
          await new Promise((r) => setTimeout(r, 100));
          conn.close();
          await new Promise((r) => setTimeout(r, 300));
        });
        deepStrictEqual(lines, ["app: client closed the connection mid-upload POST /api/actions/run"]);
      });
    }, { bodyTimeouts: { idleMs: 300 } }));
});

Deno.test("event streams are bounded per session, per address and per instance", async () => {
  await trustCategory("abuse: streams", (t) =>
    withServer(async (server) => {
      const open: Response[] = [];
      const stream = async (b: TestBrowser) => {
        const res = await b.fetch("/api/events/stream");
        if (res.status === 200) open.push(res);
        else await res.body?.cancel();
        return res;
      };
      const alice = browserAt(server, "198.51.100.1");
      const others = [browserAt(server, "198.51.100.1"), browserAt(server, "198.51.100.1")];
      try {
        await t.check("per session", async () => {
          for (let i = 0; i < 2; i++) equal((await stream(alice)).status, 200);
          const third = await stream(alice);
          equal(third.status, 429);
          ok(Number(third.headers.get("retry-after")) > 0);
        });
        await t.check("per address, across sessions", async () => {
          equal((await stream(others[0])).status, 200);
          equal((await stream(others[1])).status, 429, "the address has 3 open");
        });
        await t.check("a closed stream gives its place back", async () => {
          await open.shift()!.body!.cancel();
          await eventually(async () => (await stream(others[1])).status === 200, { what: "a free place" });
        });
        await t.check("per instance, whoever asks", async () => {
          for (const a of ["203.0.113.1", "203.0.113.2"]) {
            equal((await stream(browserAt(server, a))).status, 200);
          }
          equal((await stream(browserAt(server, "203.0.113.3"))).status, 429, "the instance has 5 open");
        });
      } finally {
        for (const r of open) await r.body?.cancel();
      }
    }, {
      env: { TRUST_PROXY_HOPS: "1" },
      limits: { streams: { perSession: 2, perAddress: 3, perInstance: 5 } },
    }));
});

Deno.test("a thousand idle streams cost what one does: one shared poll loop", async () => {
  await trustCategory("abuse: streams", (t) =>
    withServer(async (server) => {
      const feed = server.app.liveFeed;
      const perTick = async (ms: number) => {
        const [q, t] = [feed.queries, feed.ticks];
        await new Promise((r) => setTimeout(r, ms));
        return (feed.queries - q) / Math.max(1, feed.ticks - t);
      };
      const browsers = Array.from({ length: 250 }, (_, i) => browserAt(server, `10.9.${i >> 8}.${i & 255}`));
      const open: Response[] = [];
      try {
        await t.check("997 streams make the queries of one", async () => {
          open.push(await browsers[0].fetch("/api/events/stream"));
          const one = await perTick(300);
          for (const b of browsers.slice(1)) {
            for (let k = 0; k < 4; k++) open.push(await b.fetch("/api/events/stream"));
          }
          ok(open.every((r) => r.status === 200), "all open");
          equal(feed.openStreams, 997);
          const many = await perTick(300);
          equal(many, one, `${one} queries a tick for one stream, ${many} for ${feed.openStreams}`);
        });
      } finally {
        for (const r of open) await r.body?.cancel();
      }
    }, {
      env: { TRUST_PROXY_HOPS: "1" },
      stream: { pollMs: 20 },
      limits: {
        streamOpens: { capacity: 10, perMinute: 60 },
        perAddress: { newSessions: { capacity: 10, perMinute: 60 } },
        streams: { perSession: 4, perAddress: 4, perInstance: 1000 },
      },
    }));
});

Deno.test("an action that ran is never answered 'try again'; a trigger a crash left unrecorded is removed", async () => {
  const clock = new ManualClock(Date.now());
  await trustCategory("abuse: runs", (t) =>
    withServer(async (server) => {
      const alice = new TestBrowser(server.url);
      const slack = await connectAccount(alice, server, "slack");
      const send = (text: string) =>
        alice.json<{ warning?: string; runId?: string; error?: { code: string } }>("/api/actions/run", {
          json: {
            actionId: "slack-send-message",
            configuredProps: { slack: { authProvisionId: slack }, channel: "C01GENERAL", text },
          },
        });
      // The disk fills up once the message is sent: its record cannot be written.
      await server.db.execute(`CREATE TRIGGER full_disk_update BEFORE UPDATE ON action_runs
      WHEN (SELECT COUNT(*) FROM sandbox_slack_messages WHERE text = 'once') > 0
      BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END`);
      await server.db.execute(`CREATE TRIGGER full_disk_insert BEFORE INSERT ON action_runs
      WHEN (SELECT COUNT(*) FROM sandbox_slack_messages WHERE text = 'once') > 0
      BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END`);
      const { result: ran } = await captureErrors(() => send("once"));
      await t.check("a run whose record fails is answered with its result and a warning", async () => {
        equal(ran.status, 200, JSON.stringify(ran.body));
        match(ran.body.warning ?? "", /Do not run it again/);
        const sent = await server.db.execute(
          "SELECT COUNT(*) AS n FROM sandbox_slack_messages WHERE text = 'once'",
        );
        equal(Number(sent.rows[0].n), 1);
      });
      // Its record says it was sent; once stale, the history says "outcome unknown".
      await server.db.execute("DROP TRIGGER full_disk_update");
      await server.db.execute("DROP TRIGGER full_disk_insert");
      const runs = async () =>
        (await alice.json<{ data: Array<{ id: string; outcome: string }> }>("/api/runs")).body.data;
      await t.check("its history says running, then outcome unknown", async () => {
        equal((await runs()).find((r) => r.id === ran.body.runId)?.outcome, "running");
        clock.advance(3 * 60_000);
        equal((await runs()).find((r) => r.id === ran.body.runId)?.outcome, "unknown");
      });

      // A deploy whose record cannot be written, and whose undo fails too (as if the process died).
      await server.db.execute(`CREATE TRIGGER no_confirm BEFORE UPDATE ON deployed_triggers
      WHEN NEW.state = 'live' BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END`);
      server.sandbox.faults.add({ match: "/deployed-triggers/", method: "DELETE", status: 500, times: 3 });
      const { result: deploy } = await captureErrors(() =>
        alice.json("/api/triggers", {
          json: {
            triggerId: "slack-new-message",
            configuredProps: { slack: { authProvisionId: slack }, channel: "C01GENERAL" },
          },
        })
      );
      await t.check("a deploy left unrecorded is found from its reservation and removed", async () => {
        ok(deploy.status >= 500, String(deploy.status));
        await server.db.execute("DROP TRIGGER no_confirm");
        const live = () =>
          server.db.execute("SELECT COUNT(*) AS n FROM sandbox_deployments WHERE deleted = 0").then((r) =>
            Number(r.rows[0].n)
          );
        equal(await live(), 1, "deployed at Pipedream, unrecorded here");
        clock.advance(3 * 60_000);
        await server.housekeeping.run();
        equal(await live(), 0, "found from its reservation and removed");
        const reservations = await server.db.execute(
          "SELECT COUNT(*) AS n FROM deployed_triggers WHERE state = 'deploying'",
        );
        equal(Number(reservations.rows[0].n), 0);
      });
    }, { clock }));
});

Deno.test("sessions cannot be planted; hostile input cannot forge log lines", async () => {
  await trustCategory("abuse: sessions and logs", (t) =>
    withServer(async (server) => {
      const victim = new TestBrowser(server.url);
      await victim.startSession();
      const attacker = new TestBrowser(server.url);
      await attacker.startSession();
      // The attacker's cookie, planted with Path=/api from another port, rides along with the victim's.
      await t.check("a planted second session cookie", async () => {
        const planted = new TestBrowser(server.url);
        planted.cookie = `${attacker.cookie}; ${victim.cookie}`;
        const res = await planted.fetch("/api/accounts");
        equal(res.status, 400);
        equal((await res.json()).error.code, "duplicate_session_cookie");
      });

      // A proxied request's header value with CR/LF: whatever happens, no log line starts with it.
      const slack = await connectAccount(victim, server, "slack");
      const { lines } = await captureErrors(() =>
        victim.json("/api/proxy", {
          json: {
            accountId: slack,
            method: "GET",
            path: "/conversations.list",
            headers: { "X-Note": "a\r\n2026-01-01T00:00:00Z app: FORGED admin login" },
          },
        })
      );
      await t.check("a proxy header with CR/LF forges no log line", () => {
        for (const line of lines.join("\n").split("\n")) {
          ok(!line.startsWith("2026-01-01"), `forged: ${line}`);
        }
      });
    }));
});
