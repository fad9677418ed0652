import { deepStrictEqual } from "node:assert/strict";
import { loadConfig } from "../config.ts";
import { systemClock } from "../lib/clock.ts";
import { withServer } from "../testing/fixtures.ts";
import { createPipedreamClient } from "./client.ts";
import { createSecretPropsLookup } from "./component_secrets.ts";

Deno.test("secret props: an unknown component has none; a failed lookup is not remembered as none", async () => {
  await withServer(async (server) => {
    const pd = createPipedreamClient({
      config: loadConfig({}),
      sandboxBaseUrl: `${server.url}/sandbox`,
    });
    const secretProps = createSecretPropsLookup(pd, systemClock);
    deepStrictEqual(await secretProps("no-such-component"), new Set());
    // Pipedream failing (past the retries) is not an answer to keep for five minutes.
    server.sandbox.faults.add({ match: "/components/acme_crm-create-record", status: 503, times: 3 });
    const error = console.error;
    console.error = () => {};
    try {
      deepStrictEqual(await secretProps("acme_crm-create-record"), new Set());
    } finally {
      console.error = error;
    }
    deepStrictEqual(await secretProps("acme_crm-create-record"), new Set(["privateNote"]));
  });
});
