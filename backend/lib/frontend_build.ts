/**
 * The frontend, bundled for the browser with Deno's bundler: minified, split
 * so heavy parts (connect-react's form machinery) load only when needed, and
 * identified by a content hash so assets can be cached forever. Built once
 * per process, or read from `dist/` when `deno task build` made it from the
 * same sources (a stale prebuilt bundle is ignored, not served).
 */
import { fileURLToPath } from "node:url";
import { paletteCss } from "../../shared/palette.ts";
import { sha256Hex } from "./crypto.ts";
import { isLocal, listFiles, PROJECT_ROOT, projectUrl, readFile, readTextFile } from "./files.ts";

export type Asset = { bytes: Uint8Array; type: string };
export type FrontendBuild = {
  /** Content hash of every asset: the URL segment that makes them immutable. */
  id: string;
  entry: string;
  css: string;
  /** Chunks the entry imports statically: preloaded so they do not wait for the entry to parse. */
  preload: string[];
  /** Hash of the sources the build came from (see sourceFingerprint). */
  fingerprint: string;
  assets: Map<string, Asset>;
};
type Manifest = Omit<FrontendBuild, "assets"> & { files: string[] };

const DIST = "dist/frontend/";
/** Besides frontend/ and shared/: what the bundle's content depends on. */
const SOURCE_FILES = ["deno.json", "deno.lock"];

const TYPES: Record<string, string> = {
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
  map: "application/json",
};
const typeOf = (name: string) => TYPES[name.split(".").pop() ?? ""] ?? "application/octet-stream";

/** 12 hex digits of SHA-256 over the parts, in order. */
async function hash(parts: Uint8Array[]): Promise<string> {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  return (await sha256Hex(all)).slice(0, 12);
}

/** A hash of the frontend's sources, or undefined where they cannot be listed (Val Town). */
export async function sourceFingerprint(root: URL = PROJECT_ROOT): Promise<string | undefined> {
  if (!isLocal(root)) return undefined;
  const paths = [...await listFiles("frontend", root), ...await listFiles("shared", root), ...SOURCE_FILES];
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  for (const p of paths) {
    parts.push(enc.encode(`${p}\0`));
    parts.push(await readFile(p, root).catch(() => new Uint8Array()));
  }
  return await hash(parts);
}

/** The chunks a module imports statically, transitively (not its dynamic `import()`s). */
function staticImports(entry: string, assets: Map<string, Asset>): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    const a = assets.get(name);
    if (!a) return;
    const text = new TextDecoder().decode(a.bytes);
    for (const m of text.matchAll(/(?:\bfrom|\bimport)\s*["']\.\/([\w.-]+\.js)["']/g)) {
      if (!seen.has(m[1])) {
        seen.add(m[1]);
        visit(m[1]);
      }
    }
  };
  visit(entry);
  return [...seen].sort();
}

export async function bundleFrontend(root: URL = PROJECT_ROOT): Promise<FrontendBuild> {
  if (!isLocal(root)) {
    throw new Error("The frontend can only be bundled from a local checkout; run `deno task build` first.");
  }
  const fingerprint = (await sourceFingerprint(root))!;
  const result = await Deno.bundle({
    entrypoints: [fileURLToPath(projectUrl("frontend/index.tsx", root))],
    outputDir: fileURLToPath(projectUrl(DIST, root)),
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
  // The palette's CSS variables come first: style.css only refers to them.
  const style = `${paletteCss()}\n${await readTextFile("frontend/style.css", root)}`;
  assets.set("style.css", { bytes: new TextEncoder().encode(style), type: typeOf("style.css") });
  assets.set("favicon.svg", {
    bytes: await readFile("frontend/favicon.svg", root),
    type: typeOf("favicon.svg"),
  });
  const id = await hash([...assets.values()].map((a) => a.bytes));
  const entry = "index.js";
  return { id, entry, css: "style.css", preload: staticImports(entry, assets), fingerprint, assets };
}

/** Writes a build to dist/frontend/<id>/ with a manifest (the `build` task). */
export async function writeBuild(build: FrontendBuild, root: URL = PROJECT_ROOT): Promise<string> {
  const dir = projectUrl(`${DIST}${build.id}/`, root);
  await Deno.mkdir(dir, { recursive: true });
  for (const [name, a] of build.assets) await Deno.writeFile(new URL(name, dir), a.bytes);
  const { assets, ...rest } = build;
  const manifest: Manifest = { ...rest, files: [...assets.keys()] };
  await Deno.writeTextFile(projectUrl(`${DIST}manifest.json`, root), JSON.stringify(manifest, null, 2));
  return fileURLToPath(dir);
}

/** A prebuilt build from dist/ made from the current sources, if there is one. */
export async function readPrebuilt(root: URL = PROJECT_ROOT): Promise<FrontendBuild | undefined> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readTextFile(`${DIST}manifest.json`, root));
  } catch (err) {
    // No build yet is the usual case; a build that cannot be read is worth saying.
    if (!(err instanceof Deno.errors.NotFound)) {
      console.warn(
        `dist/frontend/manifest.json is unreadable (${(err as Error).message}); bundling instead.`,
      );
    }
    return undefined;
  }
  const current = await sourceFingerprint(root);
  if (current && manifest.fingerprint !== current) {
    console.warn("dist/frontend is older than the sources; bundling them instead (run `deno task build`).");
    return undefined;
  }
  const assets = new Map<string, Asset>();
  for (const name of manifest.files) {
    assets.set(name, { bytes: await readFile(`${DIST}${manifest.id}/${name}`, root), type: typeOf(name) });
  }
  const { files: _files, ...rest } = manifest;
  return { ...rest, preload: rest.preload ?? [], assets };
}

/** The build to serve: the prebuilt one when current, else bundled now. */
export async function loadFrontend(root: URL = PROJECT_ROOT): Promise<FrontendBuild> {
  return await readPrebuilt(root) ?? await bundleFrontend(root);
}

export async function readIndexHtml(root: URL = PROJECT_ROOT): Promise<string> {
  return await readTextFile("frontend/index.html", root);
}
