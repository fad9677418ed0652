import { equal } from "node:assert/strict";
import { TestBrowser, withServer } from "../testing/fixtures.ts";

const STATE_CHANGING: Array<[string, string, unknown]> = [
  ["POST", "/api/connect/token", {}],
  ["POST", "/api/actions/run", { actionId: "slack-send-message", configuredProps: {} }],
  ["POST", "/api/triggers", { triggerId: "slack-new-message", configuredProps: {} }],
  ["DELETE", "/api/triggers/dc_abc", undefined],
  ["POST", "/api/triggers/dc_abc/test-event", {}],
  ["DELETE", "/api/accounts/apn_abc", undefined],
  ["DELETE", "/api/sdk-calls", undefined],
  ["POST", "/api/proxy", { accountId: "apn_abc", method: "GET", path: "/" }],
];

Deno.test("cross-origin, cross-site and text/plain requests cannot change state", async () => {
  await withServer(async (server) => {
    const browser = new TestBrowser(server.url);
    await browser.startSession();
    for (const [method, path, json] of STATE_CHANGING) {
      const evil = await browser.json<{ error: { code: string } }>(path, {
        method,
        headers: { origin: "https://evil.example" },
        ...(json !== undefined ? { json } : {}),
      });
      equal(evil.status, 403, `${method} ${path} from another origin`);
      equal(evil.body.error.code, "cross_origin");

      const site = await browser.json(path, {
        method,
        headers: { origin: "", "sec-fetch-site": "cross-site" },
        ...(json !== undefined ? { json } : {}),
      });
      equal(site.status, 403, `${method} ${path} cross-site`);

      if (method === "POST") {
        // What an HTML form on another site can send: text/plain, no preflight.
        const form = await browser.json<{ error: { code: string } }>(path, {
          method,
          headers: { "content-type": "text/plain" },
          body: JSON.stringify(json),
        });
        equal(form.status, 403, `${method} ${path} as text/plain`);
        equal(form.body.error.code, "json_required");
      }
    }
  });
});

Deno.test("CORS is not opened to other origins", async () => {
  await withServer(async (server) => {
    const res = await fetch(`${server.url}/api/session`, { headers: { origin: "https://evil.example" } });
    await res.body?.cancel();
    equal(res.headers.get("access-control-allow-origin"), null);
    const preflight = await fetch(`${server.url}/api/actions/run`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    await preflight.body?.cancel();
    equal(preflight.headers.get("access-control-allow-origin"), null);
  });
});
