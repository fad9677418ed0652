import { deepEqual, deepStrictEqual, equal, match, ok } from "node:assert/strict";
import { brotliDecompressSync, gunzipSync, gzipSync } from "node:zlib";
import { loadConfig } from "../config.ts";
import { bundleFrontend, readPrebuilt, writeBuild } from "../lib/frontend_build.ts";
import { staticRoutes } from "./static.ts";

const config = loadConfig({});
const HOSTILE = "</script><script>alert(1)</script><!--";

function routes() {
  return staticRoutes({ config, initialData: () => ({ session: { note: HOSTILE } }) });
}

Deno.test("GET / injects the initial data without letting it close the script", async () => {
  const res = await routes().request("/");
  equal(res.status, 200);
  const html = await res.text();
  ok(!html.includes(HOSTILE), "the raw payload must not appear in the page");
  const json = html.match(/<script type="application\/json" id="initial-data">(.*?)<\/script>/s)?.[1];
  ok(json, "initial data script present");
  deepEqual(JSON.parse(json), { session: { note: HOSTILE } });
});

Deno.test("GET / sends security headers that still allow emotion styles and the sandbox's iframe", async () => {
  const res = await routes().request("/");
  await res.body?.cancel();
  const csp = res.headers.get("content-security-policy") ?? "";
  match(csp, /frame-ancestors 'none'/);
  match(csp, /script-src 'self'(;|$)/);
  match(csp, /style-src 'self' 'unsafe-inline'/);
  match(csp, /frame-src 'self'(;|$)/);
  equal(res.headers.get("x-content-type-options"), "nosniff");
  equal(res.headers.get("referrer-policy"), "strict-origin-when-cross-origin");
  equal(res.headers.get("cache-control"), "no-store");

  const live = loadConfig({
    APP_URL: "https://connect.example.com",
    PIPEDREAM_CLIENT_ID: "id",
    PIPEDREAM_CLIENT_SECRET: "secret",
    PIPEDREAM_PROJECT_ID: "proj_abc",
    PIPEDREAM_PROJECT_ENVIRONMENT: "development",
  });
  const liveRes = await staticRoutes({ config: live, initialData: () => ({}) }).request("/");
  await liveRes.body?.cancel();
  const liveCsp = liveRes.headers.get("content-security-policy") ?? "";
  match(liveCsp, /frame-src 'self' https:\/\/pipedream\.com/);
  match(liveCsp, /connect-src 'self' https:\/\/api\.pipedream\.com/);
});

Deno.test("assets are content-addressed, cached forever, and the first screen stays small", async () => {
  const app = routes();
  const html = await (await app.request("/")).text();
  const urls = [...html.matchAll(/(?:href|src)="(\/assets\/[0-9a-f]{12}\/[^"]+)"/g)].map((m) => m[1]);
  ok(urls.some((u) => u.endsWith("/index.js")), "entry script referenced");
  ok(urls.some((u) => u.endsWith(".css")), "stylesheet referenced");
  let firstLoadJs = 0;
  let firstLoadText = "";
  for (const u of urls) {
    const res = await app.request(u);
    equal(res.status, 200, u);
    equal(res.headers.get("cache-control"), "public, max-age=31536000, immutable");
    equal(res.headers.get("x-content-type-options"), "nosniff");
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (u.endsWith(".js")) {
      match(res.headers.get("content-type") ?? "", /^text\/javascript/);
      firstLoadJs += gzipSync(bytes).length;
      firstLoadText += new TextDecoder().decode(bytes);
    }
  }
  // The budget for the first screen (the Accounts tab): see frontend/README.md.
  ok(firstLoadJs <= 110 * 1024, `first-load JS is ${(firstLoadJs / 1024).toFixed(1)} KB gzip (budget 110)`);
  // The form machinery (react-select, react-markdown via ComponentForm), the developer tools
  // and the syntax highlighter are lazy chunks.
  ok(!firstLoadText.includes("react-select"), "react-select must not be in the first load");
  for (const lazy of ["ConnectPicker", "ComponentWorkbench", "DevTools"]) {
    match(firstLoadText, new RegExp(`import\\("\\./${lazy}-[\\w]+\\.js"\\)`), `${lazy} is loaded on demand`);
  }
  ok(!firstLoadText.includes("tok-keyword"), "the syntax highlighter is not in the first load");

  const stale = await app.request(urls[0].replace(/\/assets\/[0-9a-f]{12}\//, "/assets/000000000000/"));
  equal(stale.status, 404);
  await stale.body?.cancel();
});

Deno.test("a prebuilt bundle is served only while it matches the sources", async () => {
  const root = new URL(`file://${await Deno.makeTempDir()}/`);
  try {
    await Deno.mkdir(new URL("frontend/", root));
    await Deno.mkdir(new URL("shared/", root));
    await Deno.writeTextFile(new URL("frontend/index.tsx", root), 'document.title = "v1";\n');
    await Deno.writeTextFile(new URL("frontend/index.html", root), "<!--ASSETS--><!--INITIAL_DATA-->");
    await Deno.writeTextFile(new URL("frontend/style.css", root), "body{}");
    await Deno.writeTextFile(new URL("frontend/favicon.svg", root), "<svg/>");
    await Deno.writeTextFile(new URL("shared/api.ts", root), "export {};\n");

    equal(await readPrebuilt(root), undefined, "nothing prebuilt yet");
    const build = await bundleFrontend(root);
    await writeBuild(build, root);
    equal((await readPrebuilt(root))?.id, build.id);

    await Deno.writeTextFile(new URL("frontend/index.tsx", root), 'document.title = "v2";\n');
    equal(await readPrebuilt(root), undefined, "a stale prebuilt bundle is ignored");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("JS and CSS go compressed as the browser asks (brotli, else gzip), with Vary, decoding to the file", async () => {
  const app = routes();
  const html = await (await app.request("/")).text();
  const urls = [...html.matchAll(/(?:href|src)="(\/assets\/[0-9a-f]{12}\/[^"]+\.(?:js|css))"/g)].map((m) =>
    m[1]
  );
  ok(urls.length >= 2, html);
  for (const u of urls) {
    const plain = await app.request(u);
    equal(plain.headers.get("content-encoding"), null, u);
    equal(plain.headers.get("vary"), "Accept-Encoding", u);
    const original = new Uint8Array(await plain.arrayBuffer());
    const decoders: Array<[string, string, (b: Uint8Array) => Uint8Array]> = [
      ["gzip, deflate, br", "br", (b) => new Uint8Array(brotliDecompressSync(b))],
      ["gzip", "gzip", (b) => new Uint8Array(gunzipSync(b))],
    ];
    for (const [accept, encoding, decode] of decoders) {
      const res = await app.request(u, { headers: { "accept-encoding": accept } });
      equal(res.headers.get("content-encoding"), encoding, `${u} for ${accept}`);
      equal(res.headers.get("vary"), "Accept-Encoding");
      const wire = new Uint8Array(await res.arrayBuffer());
      ok(wire.length < original.length, `${u} is smaller as ${encoding}`);
      deepStrictEqual(decode(wire), original, `${u} as ${encoding} decodes to the file`);
    }
  }
});
