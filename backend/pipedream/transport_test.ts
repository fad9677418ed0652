import { deepEqual, equal, rejects } from "node:assert/strict";
import { emptyAcceptedAsObject } from "../../shared/accepted.ts";
import { loadConfig } from "../config.ts";
import { createPipedreamClient } from "./client.ts";
import { inProcessFetch } from "./transport.ts";
import { toApiError } from "../http/error_mapping.ts";
import { standaloneSandbox } from "../sandbox/testing.ts";

Deno.test("in-process calls give up when the request's signal aborts, as a network fetch does", async () => {
  let answered = false;
  let release = () => {};
  const slow = inProcessFetch(() =>
    new Promise<Response>((resolve) => {
      release = () => {
        answered = true;
        resolve(new Response("late"));
      };
    })
  );
  const controller = new AbortController();
  setTimeout(() => controller.abort("timeout"), 10);
  await rejects(slow("http://sandbox/v1/x", { signal: controller.signal }), (reason) => reason === "timeout");
  equal(answered, false);
  await rejects(slow(new Request("http://sandbox/v1/x", { signal: AbortSignal.abort() })));
  const fast = inProcessFetch(() => new Response("ok"));
  equal(await (await fast("http://sandbox/v1/x", { signal: new AbortController().signal })).text(), "ok");
  release();
});

Deno.test("an empty 202 reads as {} with its status; anything else is left alone", async () => {
  const accepted = await emptyAcceptedAsObject(new Response(null, { status: 202 }));
  deepEqual([accepted.status, await accepted.json()], [202, {}]);
  const withBody = await emptyAcceptedAsObject(Response.json({ a: 1 }, { status: 202 }));
  deepEqual(await withBody.json(), { a: 1 });
  const ok = await emptyAcceptedAsObject(new Response(null, { status: 204 }));
  equal(ok.status, 204);
});

Deno.test("the SDK's timeout applies to the embedded sandbox called in-process", async () => {
  const { sandbox, close } = await standaloneSandbox();
  // The sandbox keeps answering a call the SDK gave up on: the test waits for those answers, not a guess.
  const answers: Promise<Response>[] = [];
  try {
    const pd = createPipedreamClient({
      config: loadConfig({}),
      sandboxBaseUrl: "http://sandbox.local",
      fetch: inProcessFetch((req) => {
        const answer = Promise.resolve(sandbox.app.fetch(req));
        answers.push(answer);
        return answer;
      }),
      timeoutInSeconds: 1,
    });
    sandbox.faults.add({ match: "/accounts", delayMs: 1500, times: 1 });
    const err = await pd.accounts.list({ externalUserId: "u1" }).then(() => undefined, (e) => e);
    equal(toApiError(err).status, 504);
    equal((await pd.accounts.list({ externalUserId: "u1" })).data.length, 0);
  } finally {
    await Promise.allSettled(answers);
    await close();
  }
});
