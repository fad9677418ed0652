/**
 * The Val Town path, run: what the README says to upload (backend/,
 * frontend/, shared/, deno.json and the prebuilt dist/frontend) is served
 * over HTTP on loopback, with no directory listing, and a separate process
 * imports backend/index.ts from that URL and serves its default export, the
 * way Val Town runs an HTTP val. That process may not read or write local
 * files at all, so any code path that needs the local file system fails here.
 * It serves the page, its assets, a session, a token mint and the Connect
 * page, and an account connects.
 */
import { deepStrictEqual, equal, match, ok, rejects } from "node:assert/strict";
import { loadFrontend, writeBuild } from "./lib/frontend_build.ts";
import { PROJECT_ROOT } from "./lib/files.ts";
import { connectAccountViaSandbox } from "./sandbox/testing.ts";
import { spawnServer } from "./testing/child_server.ts";
import { freePort, TestBrowser } from "./testing/harness.ts";

/** What the README tells a developer to copy into a Val Town project. */
const UPLOADED = ["backend", "frontend", "shared", "deno.json"];

const TYPES: Record<string, string> = {
  ts: "application/typescript",
  tsx: "text/tsx",
  js: "text/javascript",
  json: "application/json",
  css: "text/css",
  html: "text/html",
  svg: "image/svg+xml",
};

async function copyTree(from: URL, to: URL): Promise<void> {
  const info = await Deno.stat(from);
  if (info.isFile) return await Deno.copyFile(from, to);
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    const slash = e.isDirectory ? "/" : "";
    await copyTree(new URL(e.name + slash, from), new URL(e.name + slash, to));
  }
}

/** A static file server over `root`: files only (a directory is a 404, as on Val Town), each request logged. */
function serveFiles(root: string, log: string[]) {
  return Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    const path = decodeURIComponent(new URL(req.url).pathname);
    let status = 404;
    try {
      if (!path.split("/").includes("..") && (await Deno.stat(root + path)).isFile) status = 200;
    } catch { /* no such file: 404 */ }
    log.push(`${status} ${path}`);
    if (status === 404) return new Response("not found", { status });
    const type = TYPES[path.split(".").pop() ?? ""] ?? "application/octet-stream";
    return new Response(await Deno.readFile(root + path), { headers: { "content-type": type } });
  });
}

/** Where Deno keeps what it fetched from a host: removed afterwards, as each run uses a new port. */
async function remoteCaches(port: number): Promise<string[]> {
  const out = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stdout: "piped" }).output();
  const info = JSON.parse(new TextDecoder().decode(out.stdout));
  return [info.modulesCache, info.typescriptCache].map((dir: string) => `${dir}/http/127.0.0.1_PORT${port}`);
}

const VAL_PORT = freePort();

/**
 * The val's settings: a database that needs no file system (Val Town's would
 * be libSQL/std/sqlite), and its public URL (there is no port to know on Val Town).
 */
const VAL_ENV = { DATABASE_URL: ":memory:", APP_URL: `http://127.0.0.1:${VAL_PORT}` };

/** The uploaded files, served; `close` also forgets what Deno cached from them. */
async function serveUploadedCopy() {
  const tmp = await Deno.makeTempDir({ prefix: "valtown-" });
  const rootUrl = new URL(`file://${tmp}/project/`);
  for (const item of UPLOADED) {
    const dir = item.includes(".") ? "" : "/";
    await copyTree(new URL(item + dir, PROJECT_ROOT), new URL(item + dir, rootUrl));
  }
  // `deno task build` (or the build already made from these sources), into the copy.
  await writeBuild(await loadFrontend(), rootUrl);
  await Deno.mkdir(`${tmp}/host`);
  const requests: string[] = [];
  const files = serveFiles(`${tmp}/project`, requests);
  return {
    origin: `http://127.0.0.1:${files.addr.port}`,
    port: files.addr.port,
    requests,
    /** An empty folder for the val's process to run in. */
    hostDir: `${tmp}/host`,
    async close() {
      await files.shutdown();
      for (const dir of await remoteCaches(files.addr.port)) {
        await Deno.remove(dir, { recursive: true }).catch((err) => {
          if (!(err instanceof Deno.errors.NotFound)) throw err; // nothing cached there: nothing to remove
        });
      }
      await Deno.remove(tmp, { recursive: true });
    },
  };
}

/** The val: backend/index.ts imported from `origin`, served by a process that has no file access. */
function startVal(
  site: Awaited<ReturnType<typeof serveUploadedCopy>>,
  env: Record<string, string> = VAL_ENV,
) {
  return spawnServer(new URL("./testdata/valtown_host.ts", import.meta.url), [
    `${site.origin}/backend/index.ts`,
    String(VAL_PORT),
  ], {
    // No --allow-read or --allow-write: nothing of the local file system is there for the val.
    flags: [
      "--no-prompt",
      "--no-config",
      `--import-map=${site.origin}/deno.json`,
      `--allow-import=127.0.0.1:${site.port}`,
      "--allow-net=127.0.0.1",
      "--allow-env",
      "--allow-sys",
    ],
    env: {
      PATH: Deno.env.get("PATH") ?? "",
      HOME: Deno.env.get("HOME") ?? "",
      ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR")! } : {}),
      NO_COLOR: "1",
      ...env,
    },
    cwd: site.hostDir,
    stderr: "piped",
    timeoutMs: 60_000,
  });
}

Deno.test("Val Town: backend/index.ts imported by URL serves the page, assets, a session and tokens without local files", async () => {
  const site = await serveUploadedCopy();
  const requests = site.requests;
  let stderr = "";
  try {
    // Left at its local default (a file), the database setting stops the val at start, saying what to set.
    const { DATABASE_URL: _unset, ...withoutDatabase } = VAL_ENV;
    await rejects(startVal(site, withoutDatabase), (err: Error) => {
      match(
        err.message,
        /ConfigError: DATABASE_URL is file:data\/app\.db, a local file, but this code is served from/,
      );
      return true;
    });

    // So does a val without its URL: the request must never choose the app's origin.
    const { APP_URL: _noUrl, ...withoutUrl } = VAL_ENV;
    await rejects(startVal(site, withoutUrl), (err: Error) => {
      match(err.message, /ConfigError: On Val Town, set APP_URL/);
      return true;
    });

    const val = await startVal(site);
    try {
      const browser = new TestBrowser(val.url);

      // The page, with the prebuilt assets linked and the session injected.
      const page = await browser.fetch("/");
      const html = await page.text();
      equal(page.status, 200, html.slice(0, 300));
      match(page.headers.get("content-security-policy") ?? "", /script-src 'self'/);
      const session =
        JSON.parse(html.match(/<script type="application\/json" id="initial-data">(.*?)<\/script>/)![1])
          .session;
      equal(session.mode, "sandbox");
      equal(session.pipedream.baseUrl, `${val.url}/sandbox`);
      const assets = [...html.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
      ok(assets.some((a) => a.endsWith(".css")) && assets.some((a) => a.endsWith("/index.js")), html);
      const build = await loadFrontend();
      for (const path of assets) {
        // fetch asks for br and gzip, and decodes what it gets.
        const res = await browser.fetch(path);
        const bytes = new Uint8Array(await res.arrayBuffer());
        equal(res.status, 200, path);
        match(res.headers.get("cache-control") ?? "", /immutable/, path);
        const file = path.split("/").pop()!;
        const built = build.assets.get(file)!;
        deepStrictEqual(bytes, await built.read(), `${path} is the prebuilt file`);
        if (/\.(js|css)$/.test(file)) {
          equal(res.headers.get("content-encoding"), "br", path);
          equal(res.headers.get("vary"), "Accept-Encoding", path);
          // Read by URL as written at build, not compressed by the val.
          ok(requests.includes(`200 /dist/frontend/${build.id}/${file}.br`), requests.join("\n"));
        }
      }

      // A session (the page has none yet: reading never makes one) and a token mint, as the browser makes them.
      equal(session.externalUserId, null);
      const me = await browser.json<{ externalUserId: string }>("/api/session", { json: {} });
      equal(me.status, 200);
      equal(
        (await browser.json<{ externalUserId: string }>("/api/session")).body.externalUserId,
        me.body.externalUserId,
      );
      const minted = await browser.json<{ token: string; connectLinkUrl: string }>("/api/connect/token", {
        json: { fresh: true },
      });
      equal(minted.status, 200, JSON.stringify(minted.body));
      match(minted.body.token, /^ctok_/);
      ok(minted.body.connectLinkUrl.startsWith(`${val.url}/sandbox/_static/connect.html?`));

      // The Connect page's files are read by URL too, and an account connects.
      const connectPage = await fetch(minted.body.connectLinkUrl);
      equal(connectPage.status, 200);
      const connectHtml = await connectPage.text();
      for (const file of ["connect.css", "connect.js"]) {
        ok(connectHtml.includes(`"${file}"`), connectHtml.slice(0, 500));
        const res = await fetch(new URL(file, minted.body.connectLinkUrl));
        equal(res.status, 200, file);
        ok((await res.text()).length > 100, file);
      }
      const connected = await connectAccountViaSandbox(`${val.url}/sandbox`, minted.body.token, "slack");
      ok(connected.accountId, String(connected.error));
      const accounts = await browser.json<{ data: Array<{ id: string }> }>("/api/accounts");
      deepStrictEqual(accounts.body.data.map((a) => a.id), [connected.accountId]);

      // The val reached its own files only over HTTP, each one found, and never asked for a listing.
      ok(requests.includes("200 /backend/index.ts"), requests.join("\n"));
      ok(requests.includes("200 /dist/frontend/manifest.json"), requests.join("\n"));
      ok(requests.includes("200 /frontend/index.html"), requests.join("\n"));
      deepStrictEqual(requests.filter((r) => !r.startsWith("200 ") || r.endsWith("/")), []);
    } finally {
      stderr = await val.kill();
    }
  } finally {
    await site.close();
  }
  ok(
    !/NotCapable|Requires (read|write) access/.test(stderr),
    `the val needed the local file system:\n${stderr}`,
  );
});
