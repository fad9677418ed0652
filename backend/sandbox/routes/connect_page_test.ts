import { equal, match } from "node:assert/strict";
import { readTextFile } from "../../lib/files.ts";
import { standaloneSandbox } from "../testing.ts";

Deno.test("the Connect page's files are served from connect_page/ with their types and headers", async () => {
  const { sandbox, close } = await standaloneSandbox();
  try {
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
      equal(await res.text(), await readTextFile(`backend/sandbox/connect_page/${name}`), name);
    }
    const page = await sandbox.app.request("http://sbx.test/_static/connect.html");
    await page.body?.cancel();
    match(page.headers.get("content-security-policy") ?? "", /frame-ancestors \*/);
    equal(page.headers.get("referrer-policy"), "no-referrer");
    const missing = await sandbox.app.request("http://sbx.test/_static/connect.txt");
    equal(missing.status, 404);
    equal((await missing.json()).code, "not_found");
  } finally {
    await close();
  }
});
