import { equal, ok } from "node:assert/strict";
import { openDatabase } from "../database/db.ts";
import { migrate } from "../database/migrate.ts";
import { appMigrations } from "../database/migrations.ts";
import { listSdkCalls } from "../database/sdk_calls.ts";
import { systemClock } from "../lib/clock.ts";
import { withDeadline } from "../testing/eventually.ts";
import { recordingFetch } from "./call_recorder.ts";
import { runWithRequestContext } from "./request_context.ts";

Deno.test("recording a call never holds it up: the response goes on before its body is read for the log", async () => {
  const db = await openDatabase(":memory:");
  await migrate(db, appMigrations);
  let finish!: () => void;
  const inner: typeof fetch = () =>
    Promise.resolve(
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"data":['));
            finish = () => {
              controller.enqueue(new TextEncoder().encode("]}"));
              controller.close();
            };
          },
        }),
        { headers: { "content-type": "application/json" } },
      ),
    );
  const recorded = recordingFetch(inner, db, systemClock, "/sandbox");
  const response = await withDeadline(
    runWithRequestContext(
      { origin: "http://app.test", externalUserId: "u1" },
      () => recorded("http://app.test/sandbox/v1/connect/proj_x/accounts", { method: "GET" }),
    ),
    Date.now() + 5000,
    "the response, before its body is complete",
  );
  // Here with the body still open: the old recorder read all of it first.
  equal(response.status, 200);
  const listed = listSdkCalls(db, "u1");
  finish();
  equal(await response.text(), '{"data":[]}');
  const calls = await listed;
  equal(calls.length, 1);
  equal(calls[0].path, "/v1/connect/proj_x/accounts");
  ok(calls[0].responseBody?.includes('"data"'));
  db.close();
});
