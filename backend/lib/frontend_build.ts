/**
 * The frontend, bundled for the browser with Deno's bundler: minified, split
 * so heavy parts (connect-react's form machinery) load only when needed, and
 * identified by a content hash so assets can be cached forever. Built once
 * per process, or read from `dist/` when `deno task build` made it from the
 * same sources (a stale prebuilt bundle is ignored, not served).
 *
 * Text assets are compressed once, at build (brotli and gzip: compression.ts):
 * `deno task build` writes the compressed copies beside each file in dist/
 * (so Val Town serves them as they are), a bundle made in-process keeps them
 * in memory. A prebuilt asset is read, in the encoding asked for, on its
 * first request, then kept.
 */
import { paletteCss } from "../../shared/palette.ts";
import { compress, COMPRESSIBLE, type Effort, type Encoding, ENCODINGS } from "./compression.ts";
import { sha256Hex } from "./crypto.ts";
import { lazy } from "./lazy.ts";
import { isLocal, listFiles, PROJECT_ROOT, projectUrl, readFile, readTextFile } from "./files.ts";

export type Asset = {
  type: string;
  /** The encodings it is also stored in (compressed at build). */
  encodings: Encoding[];
  /** Its bytes in `encoding` (as built when undefined), read or made once and then kept. */
  read(encoding?: Encoding): Promise<Uint8Array>;
};
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
type Manifest = Omit<FrontendBuild, "assets"> & {
  files: string[];
  /** Per file, the compressed copies written beside it (`<file>.br`, `<file>.gz`). */
  encodings?: Record<string, Encoding[]>;
};

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
const SUFFIX: Record<Encoding, string> = { br: ".br", gzip: ".gz" };

/** An asset built in this process: its compressed copies made now, all kept in memory. */
async function builtAsset(name: string, bytes: Uint8Array, effort: Effort): Promise<Asset> {
  const copies = new Map<Encoding | undefined, Uint8Array>([[undefined, bytes]]);
  if (COMPRESSIBLE.test(name)) { for (const e of ENCODINGS) copies.set(e, await compress(bytes, e, effort)); }
  return {
    type: typeOf(name),
    encodings: ENCODINGS.filter((e) => copies.has(e)),
    read: (encoding) => Promise.resolve(copies.get(encoding) ?? bytes),
  };
}

/** A prebuilt asset in dist/: each encoding read on first use, then kept. */
function prebuiltAsset(path: string, encodings: Encoding[], root: URL): Asset {
  const reads = new Map<Encoding | undefined, Promise<Uint8Array>>();
  const read = (encoding?: Encoding): Promise<Uint8Array> => {
    const e = encoding && encodings.includes(encoding) ? encoding : undefined;
    let bytes = reads.get(e);
    if (!bytes) {
      bytes = readFile(e ? `${path}${SUFFIX[e]}` : path, root);
      // A failed read is tried again next time, not kept.
      bytes.catch(() => reads.delete(e));
      reads.set(e, bytes);
    }
    return bytes;
  };
  return { type: typeOf(path), encodings, read };
}

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
function staticImports(entry: string, files: Map<string, Uint8Array>): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    const bytes = files.get(name);
    if (!bytes) return;
    const text = new TextDecoder().decode(bytes);
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

/** node:url, for bundling and writing builds only: serving one needs none of it (a start loads little). */
const buildOnly = lazy(() => import("node:url"));

/** `effort`: how hard to compress (`max` for `deno task build`, which writes dist/). */
export async function bundleFrontend(
  root: URL = PROJECT_ROOT,
  effort: Effort = "fast",
): Promise<FrontendBuild> {
  if (!isLocal(root)) {
    throw new Error("The frontend can only be bundled from a local checkout; run `deno task build` first.");
  }
  const fingerprint = (await sourceFingerprint(root))!;
  const { fileURLToPath } = await buildOnly();
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
  const files = new Map<string, Uint8Array>();
  for (const f of result.outputFiles) {
    const name = f.path.slice(f.path.lastIndexOf("/") + 1);
    files.set(name, f.contents ?? new TextEncoder().encode(f.text()));
  }
  // The palette's CSS variables come first: style.css only refers to them.
  const style = `${paletteCss()}
${await readTextFile("frontend/style.css", root)}`;
  files.set("style.css", new TextEncoder().encode(style));
  files.set("favicon.svg", await readFile("frontend/favicon.svg", root));
  const id = await hash([...files.values()]);
  const entry = "index.js";
  const assets = new Map<string, Asset>();
  for (const [name, bytes] of files) assets.set(name, await builtAsset(name, bytes, effort));
  return { id, entry, css: "style.css", preload: staticImports(entry, files), fingerprint, assets };
}

/** Writes a build to dist/frontend/<id>/, compressed copies beside each file, with a manifest (the `build` task). */
export async function writeBuild(build: FrontendBuild, root: URL = PROJECT_ROOT): Promise<string> {
  const dir = projectUrl(`${DIST}${build.id}/`, root);
  await Deno.mkdir(dir, { recursive: true });
  for (const [name, a] of build.assets) {
    await Deno.writeFile(new URL(name, dir), await a.read());
    for (const e of a.encodings) await Deno.writeFile(new URL(`${name}${SUFFIX[e]}`, dir), await a.read(e));
  }
  const { assets, ...rest } = build;
  const manifest: Manifest = {
    ...rest,
    files: [...assets.keys()],
    encodings: Object.fromEntries([...assets].map(([name, a]) => [name, a.encodings])),
  };
  await Deno.writeTextFile(projectUrl(`${DIST}manifest.json`, root), JSON.stringify(manifest, null, 2));
  return (await buildOnly()).fileURLToPath(dir);
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
  if (!manifest.encodings) {
    console.warn("dist/frontend has no compressed copies (built before they were); bundling instead.");
    return undefined;
  }
  const current = await sourceFingerprint(root);
  if (current && manifest.fingerprint !== current) {
    console.warn("dist/frontend is older than the sources; bundling them instead (run `deno task build`).");
    return undefined;
  }
  const assets = new Map<string, Asset>();
  for (const name of manifest.files) {
    const encodings = (manifest.encodings?.[name] ?? []).filter((e) => ENCODINGS.includes(e));
    assets.set(name, prebuiltAsset(`${DIST}${manifest.id}/${name}`, encodings, root));
  }
  const { files: _files, encodings: _encodings, ...rest } = manifest;
  return { ...rest, preload: rest.preload ?? [], assets };
}

/** The build to serve: the prebuilt one when current, else bundled now. */
export async function loadFrontend(root: URL = PROJECT_ROOT): Promise<FrontendBuild> {
  return await readPrebuilt(root) ?? await bundleFrontend(root);
}

export async function readIndexHtml(root: URL = PROJECT_ROOT): Promise<string> {
  return await readTextFile("frontend/index.html", root);
}
