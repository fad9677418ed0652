import { equal } from "node:assert/strict";
import { currentRequestContext, outsideRequestContext, runWithRequestContext } from "./request_context.ts";

Deno.test("work begun outside the request context does not carry it, even what it starts asynchronously", async () => {
  await runWithRequestContext({ origin: "http://a.test", externalUserId: "alice" }, async () => {
    equal(currentRequestContext()?.externalUserId, "alice");
    const later = outsideRequestContext(() => Promise.resolve().then(() => currentRequestContext()));
    equal(await later, undefined);
    equal(currentRequestContext()?.externalUserId, "alice", "and the request keeps its own");
  });
});
