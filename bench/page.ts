/**
 * Page weight and time to interactive for `/` in headless Chromium, beside a
 * baseline page that loads only React and connect-react's SelectApp, bundled
 * the same way (Deno.bundle, minified, code-split) and served the same way
 * (brotli or gzip, compressed once). Bytes are counted as they cross the
 * wire, and as they are once decoded.
 */
import type { Response as PlaywrightResponse } from "playwright-core";
import { launch } from "../e2e/browser.ts";
import { compress, type Encoding, ENCODINGS, negotiate } from "../backend/lib/compression.ts";
import { startTestServer } from "../backend/testing/harness.ts";
import { median, type Row, section } from "./stats.ts";

type Load = { jsWire: number; jsRaw: number; cssWire: number; cssRaw: number; ms: number };

async function bundleBaseline(): Promise<Map<string, Map<Encoding | undefined, Uint8Array>>> {
  const result = await Deno.bundle({
    entrypoints: [new URL("./baseline_page/index.tsx", import.meta.url).pathname],
    outputDir: "/tmp/pdc-baseline",
    platform: "browser",
    format: "esm",
    minify: true,
    codeSplitting: true,
    write: false,
  });
  const files = new Map<string, Map<Encoding | undefined, Uint8Array>>();
  for (const f of result.outputFiles ?? []) {
    const bytes = f.contents ?? new TextEncoder().encode(f.text());
    const copies = new Map<Encoding | undefined, Uint8Array>([[undefined, bytes]]);
    for (const e of ENCODINGS) copies.set(e, await compress(bytes, e, "max"));
    files.set(f.path.slice(f.path.lastIndexOf("/") + 1), copies);
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
      const assets: Array<{ type: string; res: PlaywrightResponse }> = [];
      let ready = false;
      page.on("response", (res) => {
        const type = res.headers()["content-type"] ?? "";
        if (!ready && /javascript|css/.test(type)) assets.push({ type, res });
      });
      const t = performance.now();
      await page.goto(url);
      await page.getByRole("button", { name: "Connect an account" }).first().waitFor({ state: "visible" });
      const ms = performance.now() - t;
      ready = true;
      const files = await Promise.all(assets.map(async ({ type, res }) => ({
        type,
        wire: (await res.request().sizes()).responseBodySize,
        raw: (await res.body()).length,
      })));
      const sum = (re: RegExp, size: "wire" | "raw") =>
        files.filter((x) => re.test(x.type)).reduce((n, x) => n + x[size], 0);
      loads.push({
        jsWire: sum(/javascript/, "wire"),
        jsRaw: sum(/javascript/, "raw"),
        cssWire: sum(/css/, "wire"),
        cssRaw: sum(/css/, "raw"),
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
  // The app serves what `deno task build` made (compressed at the highest effort), as in production.
  const build = await new Deno.Command(Deno.execPath(), {
    args: ["task", "build"],
    cwd: new URL("../", import.meta.url).pathname,
    stdout: "null",
    stderr: "null",
  }).output();
  if (!build.success) throw new Error("deno task build failed");
  const app = await startTestServer();
  const files = await bundleBaseline();
  const baseline = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, (req) => {
    const name = new URL(req.url).pathname.slice(1);
    if (name === "") {
      return new Response(
        `<!doctype html><html><body><div id="root"></div><script type="module" src="/index.js"></script></body></html>`,
        { headers: { "content-type": "text/html" } },
      );
    }
    const copies = files.get(name);
    if (!copies) return new Response("not found", { status: 404 });
    const encoding = negotiate(req.headers.get("accept-encoding") ?? undefined, ENCODINGS);
    return new Response(copies.get(encoding) as Uint8Array<ArrayBuffer>, {
      headers: {
        "content-type": "text/javascript",
        vary: "Accept-Encoding",
        ...(encoding ? { "content-encoding": encoding } : {}),
      },
    });
  });
  try {
    const a = await measure(app.url, runs);
    const b = await measure(`http://127.0.0.1:${baseline.addr.port}/`, runs);
    const how =
      "headless Chromium, new context per load; every JS/CSS response until the 'Connect an account' button is visible; baseline = React + connect-react SelectApp bundled and served the same way";
    const kb = section("Page", "KB");
    return [
      kb("JS before usable (on the wire)", a.jsWire / 1024, b.jsWire / 1024, `${how}; bytes received`, {
        text: "≤ 200 KB",
        met: (app) => app <= 200,
      }),
      kb("JS before usable (decoded)", a.jsRaw / 1024, b.jsRaw / 1024, `${how}; bytes once decoded`),
      kb(
        "CSS before usable (on the wire)",
        a.cssWire / 1024,
        b.cssWire / 1024,
        "our stylesheet; connect-react injects its CSS from JS (emotion)",
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
