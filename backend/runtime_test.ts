import { deepStrictEqual, equal, match } from "node:assert/strict";
import { type Db, openDatabase } from "./database/db.ts";
import { migrate } from "./database/migrate.ts";
import { insertSession } from "./database/sessions.ts";
import { connectAccountViaSandbox, sandboxTokenRequest } from "./sandbox/testing.ts";
import { createRuntime, MIGRATIONS } from "./runtime.ts";
import { eventually } from "./testing/eventually.ts";
import { TestBrowser } from "./testing/harness.ts";

Deno.test("the runtime's embedded sandbox uses its own client secret; the app reaches it in-process", async () => {
  const logs: string[] = [];
  const runtime = await createRuntime({}, { databaseUrl: ":memory:", log: (l) => logs.push(l) });
  try {
    match(logs.join("\n"), /mode=sandbox/);
    // The well-known secret opens nothing on a real installation's sandbox.
    // Without a port, the app answers at localhost:PORT (8000 by default).
    const stolen = await runtime.app.request(
      "http://localhost:8000/sandbox/v1/oauth/token",
      sandboxTokenRequest(),
    );
    equal(stolen.status, 401);
    await stolen.body?.cancel();
    // The app's own SDK client has the generated secret and works.
    const json = { origin: "http://localhost:8000", "content-type": "application/json" };
    const session = await runtime.app.request("http://localhost:8000/api/session", {
      method: "POST",
      headers: json,
      body: "{}",
    });
    const cookie = session.headers.get("set-cookie")!.split(";")[0];
    await session.body?.cancel();
    const token = await runtime.app.request("http://localhost:8000/api/connect/token", {
      method: "POST",
      headers: { cookie, ...json },
      body: "{}",
    });
    equal(token.status, 200, await token.clone().text());
    match((await token.json()).token, /^ctok_/);
  } finally {
    await runtime.close();
  }
});

Deno.test("events emitted while the app was down are recovered when it starts again", async () => {
  const dir = await Deno.makeTempDir();
  const databaseUrl = `file:${dir}/app.db`;
  const start = async (recoveryLoop = true) => {
    const runtime = await createRuntime({ EVENT_RECOVERY_SECONDS: "0" }, {
      databaseUrl,
      port: 0,
      log: () => {},
      recoveryLoop,
    });
    return { runtime, url: runtime.url! };
  };
  const stored = async (db: Db) =>
    (await db.execute(
      "SELECT source, json_extract(event, '$.text') AS text FROM webhook_events ORDER BY seq",
    ))
      .rows.map((r) => [String(r.source), String(r.text)]);
  try {
    // Its own recovery at start would race the delivery of "before" (Pipedream's log has an event before its
    // delivery arrives; which comes first decides only the row's source): what is tested is the next start.
    const first = await start(false);
    const browser = new TestBrowser(first.url);
    const { body: tok } = await browser.json<{ token: string }>("/api/connect/token", { json: {} });
    const { accountId } = await connectAccountViaSandbox(`${first.url}/sandbox`, tok.token, "slack");
    const slack = { authProvisionId: accountId };
    const deployed = await browser.json<{ id: string }>("/api/triggers", {
      json: { triggerId: "slack-new-message", configuredProps: { slack, channel: "C01GENERAL" } },
    });
    equal(deployed.status, 201);
    await browser.json("/api/actions/run", {
      json: {
        actionId: "slack-send-message",
        configuredProps: { slack, channel: "C01GENERAL", text: "before" },
      },
    });
    const deadline = Date.now() + 5000;
    while ((await stored(first.runtime.db)).length < 1 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    // Down: Pipedream goes on emitting (its event log keeps them); nobody receives the deliveries.
    await first.runtime.close();
    const db = await openDatabase(databaseUrl);
    for (const text of ["while down 1", "while down 2"]) {
      await db.execute({
        sql: "INSERT INTO sandbox_events (id, deployment_id, ts, k, e, sum) VALUES (?, ?, ?, 'emit', ?, ?)",
        args: [`evt_down_${text.at(-1)}`, deployed.body.id, Date.now(), JSON.stringify({ text }), text],
      });
    }
    db.close();

    const second = await start();
    try {
      const until = Date.now() + 5000;
      while ((await stored(second.runtime.db)).length < 3 && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 50));
      }
      deepStrictEqual(await stored(second.runtime.db), [
        ["webhook", "before"],
        ["recovered", "while down 1"],
        ["recovered", "while down 2"],
      ]);
    } finally {
      await second.runtime.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("background work waits for the first response (a cold start's request goes first), or a moment", async () => {
  const dir = await Deno.makeTempDir();
  const databaseUrl = `file:${dir}/app.db`;
  // Housekeeping, part of the background work, deletes expired sessions.
  const expiredSessions = async (db: Db) =>
    Number((await db.execute("SELECT count(*) AS n FROM sessions")).rows[0].n);
  const seed = await openDatabase(databaseUrl);
  await migrate(seed, MIGRATIONS);
  for (const token of ["a", "b"]) await insertSession(seed, token, `user-${token}`, Date.now() - 10_000, 1);
  await seed.close();

  const answered = await createRuntime({}, { databaseUrl, port: 0, recoveryLoop: false, log: () => {} });
  try {
    await new Promise((r) => setTimeout(r, 100));
    equal(await expiredSessions(answered.db), 2, "nothing ran before the first request");
    const res = await fetch(`${answered.url}/api/session`);
    equal(res.status, 200);
    await res.body?.cancel();
    await eventually(async () => await expiredSessions(answered.db) === 0, { what: "housekeeping" });
  } finally {
    await answered.close();
  }

  const seedAgain = await openDatabase(databaseUrl);
  await insertSession(seedAgain, "c", "user-c", Date.now() - 10_000, 1);
  await seedAgain.close();
  const unasked = await createRuntime({}, { databaseUrl, port: 0, recoveryLoop: false, log: () => {} });
  try {
    await eventually(async () => await expiredSessions(unasked.db) === 0, { what: "housekeeping, unasked" });
  } finally {
    await unasked.close();
  }
});
