import { equal, match } from "node:assert/strict";
import { sandboxTokenRequest } from "./sandbox/testing.ts";
import { createRuntime } from "./runtime.ts";

Deno.test("the runtime's embedded sandbox uses its own client secret; the app reaches it in-process", async () => {
  const logs: string[] = [];
  const runtime = await createRuntime({}, { databaseUrl: ":memory:", log: (l) => logs.push(l) });
  try {
    match(logs.join("\n"), /mode=sandbox/);
    // The well-known secret opens nothing on a real installation's sandbox.
    const stolen = await runtime.app.request(
      "http://localhost/sandbox/v1/oauth/token",
      sandboxTokenRequest(),
    );
    equal(stolen.status, 401);
    await stolen.body?.cancel();
    // The app's own SDK client has the generated secret and works.
    const session = await runtime.app.request("http://localhost/api/session");
    const cookie = session.headers.get("set-cookie")!.split(";")[0];
    await session.body?.cancel();
    const token = await runtime.app.request("http://localhost/api/connect/token", {
      method: "POST",
      headers: { cookie, origin: "http://localhost", "content-type": "application/json" },
      body: "{}",
    });
    equal(token.status, 200, await token.clone().text());
    match((await token.json()).token, /^ctok_/);
  } finally {
    await runtime.close();
  }
});
