/**
 * Isolation, over every API route of the app's route table (routes.ts):
 * another user who knows Alice's ids tries them in every route that takes an
 * id, sends every body route a body naming Alice's things, and reads every
 * list and stream. Each answers as if Alice's ids did not exist, nothing of
 * Alice's is in any answer, and nothing of hers changes.
 */
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { readStream } from "../testing/event_stream.ts";
import { eventually } from "../testing/eventually.ts";
import { connectAccount, TestBrowser, withServer } from "../testing/fixtures.ts";
import { fillPath, isApi, ROUTE_CASES, routeTable, snapshotOf, takesBody } from "./routes.ts";
import { trustCategory } from "./summary.ts";

/** A word only Alice's data contains: in a message she sent, and so in her run, event and call log. */
const ALICE_MARKER = "alice-private-7f3a9";

Deno.test("another user's ids: every route answers as if they did not exist, and nothing changes", async () => {
  await trustCategory("isolation", async (t) => {
    await withServer(async (server) => {
      const alice = new TestBrowser(server.url);
      const mallory = new TestBrowser(server.url);
      const aliceId = await alice.startSession();
      const accounts = [
        await connectAccount(alice, server, "slack"),
        await connectAccount(alice, server, "google_sheets"),
      ];
      const slack = accounts[0];
      const deployed = await alice.json<{ id: string }>("/api/triggers", {
        json: ROUTE_CASES["POST /api/triggers"].body!({ account: slack, trigger: "" }),
      });
      const run = await alice.json<{ runId: string }>("/api/actions/run", {
        json: {
          actionId: "slack-send-message",
          configuredProps: { slack: { authProvisionId: slack }, channel: "C01GENERAL", text: ALICE_MARKER },
        },
      });
      equal(run.status, 200);
      const events = await eventually(async () => {
        await server.sandbox.flushDeliveries();
        const page = await alice.json<{ data: Array<{ id: string }> }>("/api/events");
        return page.body.data.length > 0 && page.body.data;
      }, { what: "Alice's trigger event" });
      // Alice's ids, of every kind a route might take.
      const aliceIds = [...accounts, deployed.body.id, run.body.runId, ...events.map((e) => e.id)];

      // Mallory has a connection of her own: her stream's replay ends with it, after anything of Alice's.
      const malloryAccount = await connectAccount(mallory, server, "slack");
      await eventually(async () => {
        await server.sandbox.flushDeliveries();
        const n = await server.db.execute("SELECT COUNT(*) AS n FROM connect_events");
        return Number(n.rows[0].n) >= 3;
      }, { what: "the Connect events" });

      const before = await snapshotOf(server.db, aliceId);
      /** Alice's ids in an answer, but those Mallory's request named itself (an error may echo them). */
      const leaks = (text: string, asked = "") =>
        [aliceId, ALICE_MARKER, ...aliceIds].filter((id) => text.includes(id) && !asked.includes(id));
      const routes = (await routeTable(server.app)).filter(isApi);

      for (const route of routes.filter((r) => r.params.length > 0)) {
        for (const id of aliceIds) {
          await t.check(`${route.method} ${fillPath(route, id)}`, async () => {
            // A body route's example body, naming Alice's things too (or `{}` until routes_test has one).
            const body = ROUTE_CASES[route.key]?.body?.({ account: slack, trigger: deployed.body.id });
            const init = takesBody(route) ? { json: body ?? {} } : {};
            const res = await mallory.json<{ error?: { code: string } }>(fillPath(route, id), {
              method: route.method,
              ...init,
            });
            // An id of another kind is malformed here (400); one of this kind does not exist for Mallory (404).
            ok(res.status === 404 || res.status === 400, `status ${res.status}`);
            equal(res.body?.error?.code, res.status === 404 ? "not_found" : "invalid_request");
            deepStrictEqual(leaks(JSON.stringify(res.body), id + JSON.stringify(init)), []);
          });
        }
      }
      for (const route of routes.filter((r) => r.params.length === 0 && !takesBody(r))) {
        await t.check(`${route.key} (Mallory's own)`, async () => {
          const res = await mallory.fetch(route.path, { method: route.method });
          ok(res.status < 300, `status ${res.status}`);
          let text: string;
          if (res.headers.get("content-type")?.startsWith("text/event-stream")) {
            // Replayed from the start, up to Mallory's own connection.
            const stream = readStream(await mallory.fetch(`${route.path}?since=0.0`));
            text = await stream.until(malloryAccount);
            await stream.close();
            await res.body?.cancel();
          } else text = await res.text();
          deepStrictEqual(leaks(text), []);
        });
      }
      for (const route of routes.filter((r) => ROUTE_CASES[r.key]?.query)) {
        const query = new URLSearchParams(
          ROUTE_CASES[route.key].query!({ account: slack, trigger: deployed.body.id }),
        );
        await t.check(`${route.method} ${route.path}?${query} (Alice's)`, async () => {
          const res = await mallory.json<{ data: unknown[] }>(`${route.path}?${query}`, {
            method: route.method,
          });
          equal(res.status, 200);
          deepStrictEqual(res.body.data, []);
        });
      }
      // Body routes without an id in the path: the body names Alice's things. (After the reads: one of
      // them ends Mallory's identity, and so goes last.)
      const bodyRoutes = routes.filter((r) => takesBody(r) && r.params.length === 0);
      const last = (r: (typeof routes)[number]) => (ROUTE_CASES[r.key]?.endsIdentity ? 1 : 0);
      for (const route of bodyRoutes.sort((a, b) => last(a) - last(b))) {
        const example = ROUTE_CASES[route.key];
        if (!example?.body) continue; // routes_test names it
        const body = example.body;
        for (const account of accounts) {
          await t.check(`${route.key} naming Alice's ${account}`, async () => {
            const sent = body({ account, trigger: deployed.body.id });
            const res = await mallory.json<{ error?: { code: string } }>(route.path, {
              method: route.method,
              json: sent,
            });
            if (example.callerOnly) ok(res.status < 300, `status ${res.status}`);
            else {
              equal(res.status, 404);
              equal(res.body?.error?.code, "not_found");
            }
            deepStrictEqual(leaks(JSON.stringify(res.body), JSON.stringify(sent)), []);
          });
        }
      }
      await t.check("nothing of Alice's changed", async () => {
        deepStrictEqual(await snapshotOf(server.db, aliceId), before);
      });
    });
  });
});
