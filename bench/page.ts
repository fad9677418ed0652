/**
 * Page weight and time to interactive for `/` in headless Chromium, beside a
 * baseline page that loads only React and connect-react's SelectApp, bundled
 * the same way (Deno.bundle, minified, code-split).
 */
import { gzipSync } from "node:zlib";
import { launch } from "../e2e/browser.ts";
import { startTestServer } from "../backend/testing/harness.ts";
import { median, type Row, section } from "./stats.ts";

type Load = { jsRaw: number; jsGzip: number; cssRaw: number; cssGzip: number; ms: number };

async function bundleBaseline(): Promise<Map<string, Uint8Array>> {
  const result = await Deno.bundle({
    entrypoints: [new URL("./baseline_page/index.tsx", import.meta.url).pathname],
    outputDir: "/tmp/pdc-baseline",
    platform: "browser",
    format: "esm",
    minify: true,
    codeSplitting: true,
    write: false,
  });
  const files = new Map<string, Uint8Array>();
  for (const f of result.outputFiles ?? []) {
    files.set(f.path.slice(f.path.lastIndexOf("/") + 1), f.contents ?? new TextEncoder().encode(f.text()));
  }
  return files;
}

async function measure(url: string, runs: number): Promise<Load> {
  const browser = await launch();
  const loads: Load[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const bodies: Array<Promise<{ type: string; bytes: Uint8Array }>> = [];
      let ready = false;
      page.on("response", (res) => {
        if (ready) return;
        const type = res.headers()["content-type"] ?? "";
        if (/javascript|css/.test(type)) {
          bodies.push(res.body().then((b) => ({ type, bytes: new Uint8Array(b) })));
        }
      });
      const t = performance.now();
      await page.goto(url);
      await page.getByRole("button", { name: "Connect an account" }).first().waitFor({ state: "visible" });
      const ms = performance.now() - t;
      ready = true;
      const files = await Promise.all(bodies);
      const sum = (re: RegExp, f: (b: Uint8Array) => number) =>
        files.filter((x) => re.test(x.type)).reduce((n, x) => n + f(x.bytes), 0);
      loads.push({
        jsRaw: sum(/javascript/, (b) => b.length),
        jsGzip: sum(/javascript/, (b) => gzipSync(b).length),
        cssRaw: sum(/css/, (b) => b.length),
        cssGzip: sum(/css/, (b) => gzipSync(b).length),
        ms,
      });
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return { ...loads[loads.length - 1], ms: median(loads.map((l) => l.ms)) };
}

export async function pageBench(runs = 5): Promise<Row[]> {
  const app = await startTestServer();
  const files = await bundleBaseline();
  const baseline = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, (req) => {
    const name = new URL(req.url).pathname.slice(1);
    if (name === "") {
      return new Response(
        `<!doctype html><html><body><div id="root"></div><script type="module" src="/index.js"></script></body></html>`,
        {
          headers: { "content-type": "text/html" },
        },
      );
    }
    const body = files.get(name);
    return body
      ? new Response(body as Uint8Array<ArrayBuffer>, { headers: { "content-type": "text/javascript" } })
      : new Response("not found", { status: 404 });
  });
  try {
    const a = await measure(app.url, runs);
    const b = await measure(`http://127.0.0.1:${baseline.addr.port}/`, runs);
    const how =
      "headless Chromium, new context per load; bytes of every JS/CSS response until the 'Connect an account' button is visible; baseline = React + connect-react SelectApp bundled the same way";
    const kb = section("Page", "KB");
    return [
      kb("JS before usable (gzip)", a.jsGzip / 1024, b.jsGzip / 1024, how, {
        text: "≤ 200 KB",
        met: (app) => app <= 200,
      }),
      kb("JS before usable (raw)", a.jsRaw / 1024, b.jsRaw / 1024, how),
      kb(
        "CSS before usable (gzip)",
        a.cssGzip / 1024,
        b.cssGzip / 1024,
        "connect-react injects its CSS from JS (emotion)",
      ),
      section("Page", "ms")(
        "navigation → interactive",
        a.ms,
        b.ms,
        `median of ${runs} loads; until the first screen's button is visible`,
      ),
    ];
  } finally {
    await baseline.shutdown();
    await app.close();
  }
}

if (import.meta.main) console.table(await pageBench(Number(Deno.args[0] ?? 5)));
