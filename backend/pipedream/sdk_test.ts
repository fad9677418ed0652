import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { loadConfig } from "../config.ts";
import { standaloneSandbox } from "../sandbox/testing.ts";
import { createPipedreamClient } from "./client.ts";
import { isPipedreamError } from "./sdk.ts";

Deno.test("a client's calls made before it is built answer as the SDK's own: awaited, with the raw response, or failing", async () => {
  const sandbox = await standaloneSandbox();
  try {
    const pd = createPipedreamClient({ config: loadConfig({}), sandboxBaseUrl: sandbox.url });
    const [apps, raw] = await Promise.all([
      pd.apps.list({ limit: 2 }),
      pd.components.retrieve("slack-send-message").withRawResponse(),
    ]);
    ok(apps.data.length > 0);
    equal(raw.rawResponse.status, 200);
    equal(raw.data.data.key, "slack-send-message");
    // Built now: its resources are the SDK's own objects, handed out as they are.
    equal(pd.apps, pd.apps);
    const failed = await pd.components.retrieve("no-such-component").then(() => undefined, (err) => err);
    ok(isPipedreamError(failed));
    deepStrictEqual(failed.statusCode, 404);
  } finally {
    await sandbox.close();
  }
});
