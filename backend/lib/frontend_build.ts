/**
 * The frontend, bundled for the browser with Deno's bundler: minified, split
 * so heavy parts (connect-react's form machinery) load only when needed, and
 * identified by a content hash so assets can be cached forever. Built once
 * per process, or read from `dist/` when `deno task build` made it.
 */
import { fileURLToPath as fromFileUrl } from "node:url";

export type Asset = { bytes: Uint8Array; type: string };
export type FrontendBuild = { id: string; entry: string; css: string; assets: Map<string, Asset> };

const FRONTEND_DIR = fromFileUrl(new URL("../../frontend/", import.meta.url));
const DIST_DIR = fromFileUrl(new URL("../../dist/frontend/", import.meta.url));

const TYPES: Record<string, string> = {
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
  map: "application/json",
};
const typeOf = (name: string) => TYPES[name.split(".").pop() ?? ""] ?? "application/octet-stream";

async function hash(parts: Uint8Array[]): Promise<string> {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  return Array.from(d.slice(0, 6), (b) => b.toString(16).padStart(2, "0")).join("");
}

export async function bundleFrontend(): Promise<FrontendBuild> {
  const result = await Deno.bundle({
    entrypoints: [`${FRONTEND_DIR}index.tsx`],
    outputDir: DIST_DIR,
    platform: "browser",
    format: "esm",
    minify: true,
    codeSplitting: true,
    write: false,
  });
  if (!result.success || !result.outputFiles) {
    throw new Error(`frontend bundle failed: ${result.errors.map((e) => e.text).join("; ")}`);
  }
  const assets = new Map<string, Asset>();
  for (const f of result.outputFiles) {
    const name = f.path.slice(f.path.lastIndexOf("/") + 1);
    assets.set(name, { bytes: f.contents ?? new TextEncoder().encode(f.text()), type: typeOf(name) });
  }
  for (const extra of ["style.css", "favicon.svg"]) {
    assets.set(extra, { bytes: await Deno.readFile(`${FRONTEND_DIR}${extra}`), type: typeOf(extra) });
  }
  const id = await hash([...assets.values()].map((a) => a.bytes));
  return { id, entry: "index.js", css: "style.css", assets };
}

/** Writes a build to dist/frontend/<id>/ with a manifest (the `build` task). */
export async function writeBuild(build: FrontendBuild): Promise<string> {
  const dir = `${DIST_DIR}${build.id}/`;
  await Deno.mkdir(dir, { recursive: true });
  for (const [name, a] of build.assets) await Deno.writeFile(dir + name, a.bytes);
  await Deno.writeTextFile(
    `${DIST_DIR}manifest.json`,
    JSON.stringify({ id: build.id, entry: build.entry, css: build.css, files: [...build.assets.keys()] }),
  );
  return dir;
}

/** A prebuilt build from dist/, if there is one (read lazily, file by file). */
export async function readPrebuilt(): Promise<FrontendBuild | undefined> {
  let manifest: { id: string; entry: string; css: string; files: string[] };
  try {
    manifest = JSON.parse(await Deno.readTextFile(`${DIST_DIR}manifest.json`));
  } catch {
    return undefined;
  }
  const assets = new Map<string, Asset>();
  for (const name of manifest.files) {
    assets.set(name, { bytes: await Deno.readFile(`${DIST_DIR}${manifest.id}/${name}`), type: typeOf(name) });
  }
  return { id: manifest.id, entry: manifest.entry, css: manifest.css, assets };
}

export async function readIndexHtml(): Promise<string> {
  return await Deno.readTextFile(`${FRONTEND_DIR}index.html`);
}
