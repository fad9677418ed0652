import { equal, match, ok } from "node:assert/strict";
import type { Db } from "../../database/db.ts";
import { paletteCss } from "../../../shared/palette.ts";
import { readTextFile } from "../../lib/files.ts";
import type { Sandbox } from "../mod.ts";
import { type ConnectToken, insertConnectToken } from "../store.ts";
import { standaloneSandbox } from "../testing.ts";

async function withSandbox(fn: (sandbox: Sandbox, db: Db) => Promise<void>) {
  const { sandbox, db, close } = await standaloneSandbox();
  try {
    await fn(sandbox, db);
  } finally {
    await close();
  }
}

Deno.test("the Connect page's files are served from connect_page/ with their types and headers", async () => {
  await withSandbox(async (sandbox) => {
    for (
      const [name, type] of [["connect.html", "text/html"], ["connect.js", "text/javascript"], [
        "connect.css",
        "text/css",
      ]]
    ) {
      const res = await sandbox.app.request(`http://sbx.test/_static/${name}`);
      equal(res.status, 200, name);
      match(res.headers.get("content-type") ?? "", new RegExp(`^${type}; charset=utf-8$`));
      equal(res.headers.get("cache-control"), "no-store");
      equal(res.headers.get("x-content-type-options"), "nosniff");
      const file = await readTextFile(`backend/sandbox/connect_page/${name}`);
      // The stylesheet comes with the app's palette in front of it.
      equal(await res.text(), name === "connect.css" ? `${paletteCss()}\n${file}` : file, name);
    }
    const page = await sandbox.app.request("http://sbx.test/_static/connect.html");
    await page.body?.cancel();
    equal(page.headers.get("referrer-policy"), "no-referrer");
    const missing = await sandbox.app.request("http://sbx.test/_static/connect.txt");
    equal(missing.status, 404);
    equal((await missing.json()).code, "not_found");
  });
});

Deno.test("only the token's allowed origins may frame the Connect page, and only they get its messages", async () => {
  await withSandbox(async (sandbox, db) => {
    const token = (allowedOrigins: string[], expiresAt = Date.now() + 60_000): ConnectToken => ({
      token: `ctok_${crypto.randomUUID().replaceAll("-", "")}`,
      externalUserId: "u_page_test",
      expiresAt,
      allowedOrigins,
      webhookUri: null,
      successRedirectUri: null,
      errorRedirectUri: null,
      usedAt: null,
      scope: "connect:*",
      environment: "development",
    });
    const page = async (t?: string) => {
      const res = await sandbox.app.request(`http://sbx.test/_static/connect.html${t ? `?token=${t}` : ""}`);
      const html = await res.text();
      return {
        csp: res.headers.get("content-security-policy") ?? "",
        parents: JSON.parse(
          html.match(/<meta name="parent-origins" content="([^"]*)">/)![1].replaceAll("&quot;", '"'),
        ),
      };
    };
    const good = token(["https://app.example", "http://localhost:8000"]);
    await insertConnectToken(db, good);
    const framed = await page(good.token);
    match(framed.csp, /frame-ancestors https:\/\/app\.example http:\/\/localhost:8000$/);
    equal(framed.parents.join(" "), "https://app.example http://localhost:8000");

    // No token, an unknown one, an expired one, one without origins: nobody may frame it.
    const expired = token(["https://app.example"], Date.now() - 1);
    const open = token([]);
    const hostile = token(["https://a.example; script-src *", "javascript:alert(1)"]);
    for (const t of [expired, open, hostile]) await insertConnectToken(db, t);
    for (const t of [undefined, "ctok_unknown", expired.token, open.token, hostile.token]) {
      const { csp, parents } = await page(t);
      match(csp, /frame-ancestors 'none'/, String(t));
      equal(parents.length, 0, String(t));
    }

    // The page posts to those origins only: never to "*".
    const js = await readTextFile("backend/sandbox/connect_page/connect.js");
    ok(!/postMessage\([^)]*["'`]\*["'`]/.test(js), "no postMessage to *");
    match(js, /postMessage\(msg, origin\)/);
  });
});
