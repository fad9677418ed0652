import { equal, ok } from "node:assert/strict";
import { ProxyResponse } from "../../shared/api.ts";
import { connectAccount, TestBrowser, withServer } from "../testing/fixtures.ts";

Deno.test("proxy: calls the sandbox app's API with the owner's account; never for another user", async () => {
  await withServer(async (server) => {
    const alice = new TestBrowser(server.url);
    const sheets = await connectAccount(alice, server, "google_sheets");
    await alice.json("/api/actions/run", {
      json: {
        actionId: "google_sheets-add-single-row",
        configuredProps: {
          googleSheets: { authProvisionId: sheets },
          drive: "root",
          spreadsheet: "ss_contacts",
          worksheet: "ws_people",
          row: { Name: "Grace", Email: "grace@example.com" },
        },
      },
    });
    const res = await alice.fetch("/api/proxy", {
      json: { accountId: sheets, method: "GET", path: "/v4/spreadsheets/ss_contacts/values/ws_people" },
    });
    const text = await res.text();
    equal(res.status, 200, text);
    const out = ProxyResponse.parse(JSON.parse(text));
    equal(out.status, 200);
    const values = (out.body as { values: string[][] }).values;
    equal(values[1][0], "Grace");
    ok(!/sbx_at_|sbx_rt_|oauth_access_token/.test(text), "no credential in the proxied response");

    const notFound = ProxyResponse.parse(
      (await alice.json("/api/proxy", { json: { accountId: sheets, method: "GET", path: "/v4/nothing" } }))
        .body,
    );
    equal(notFound.status, 404);

    const mallory = new TestBrowser(server.url);
    const denied = await mallory.json<{ error: { code: string } }>("/api/proxy", {
      json: { accountId: sheets, method: "GET", path: "/v4/spreadsheets/ss_contacts/values/ws_people" },
    });
    equal(denied.status, 404);
    equal(denied.body.error.code, "not_found");
  });
});
