import { equal, match, notEqual } from "node:assert/strict";
import { SessionResponse } from "../../shared/api.ts";
import { TestBrowser, withServer } from "../testing/fixtures.ts";

Deno.test("GET /api/session: a new browser gets an identity and the sandbox mode", async () => {
  await withServer(async (server) => {
    const browser = new TestBrowser(server.url);
    const first = await browser.json("/api/session");
    equal(first.status, 200);
    const session = SessionResponse.parse(first.body);
    match(session.externalUserId, /^u_/);
    equal(session.mode, "sandbox");
    equal(session.pipedream.baseUrl, `${server.url}/sandbox`);
    match(browser.cookie, /^pdc_session=/);

    const again = SessionResponse.parse((await browser.json("/api/session")).body);
    equal(again.externalUserId, session.externalUserId);

    const other = SessionResponse.parse((await new TestBrowser(server.url).json("/api/session")).body);
    notEqual(other.externalUserId, session.externalUserId);
  });
});

Deno.test("a forged or tampered cookie gets a fresh identity, never the claimed one", async () => {
  await withServer(async (server) => {
    const victim = new TestBrowser(server.url);
    const victimId = SessionResponse.parse((await victim.json("/api/session")).body).externalUserId;
    for (
      const cookie of [
        `pdc_session=${victimId}`,
        `pdc_session=${victimId}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`,
        victim.cookie.slice(0, -2),
      ]
    ) {
      const attacker = new TestBrowser(server.url);
      attacker.cookie = cookie;
      const res = await attacker.json<{ externalUserId: string }>("/api/session");
      equal(res.status, 200);
      notEqual(res.body.externalUserId, victimId);
    }
  });
});

Deno.test("the browser cannot choose its user id through the API", async () => {
  await withServer(async (server) => {
    const browser = new TestBrowser(server.url);
    const res = await browser.json<{ error: { code: string } }>("/api/connect/token", {
      json: { externalUserId: "someone-else" },
    });
    equal(res.status, 400);
    equal(res.body.error.code, "invalid_request");
  });
});

Deno.test("unknown API routes answer JSON 404", async () => {
  await withServer(async (server) => {
    const res = await new TestBrowser(server.url).json<{ error: { code: string } }>("/api/nope");
    equal(res.status, 404);
    equal(res.body.error.code, "not_found");
  });
});
