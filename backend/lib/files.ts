/**
 * Reading the project's own files: the one thing that differs between a local
 * run (modules on disk, `file:` URLs) and Val Town (modules served over
 * `https:`, read by fetching them). Paths are relative to the project root,
 * like Val Town's std/utils `readFile("/frontend/index.html", import.meta.url)`.
 */

/** The project root, found from this module's own URL (backend/lib/files.ts). */
export const PROJECT_ROOT = new URL("../../", import.meta.url);

export function projectUrl(path: string, root: URL = PROJECT_ROOT): URL {
  const rel = path.replace(/^\/+/, "");
  if (rel.split("/").includes("..")) throw new Error(`Refusing a path outside the project: ${path}`);
  return new URL(rel, root);
}

/** Whether files can be listed and bundled here (a local checkout), not only fetched. */
export function isLocal(root: URL = PROJECT_ROOT): boolean {
  return root.protocol === "file:";
}

export async function readFile(path: string, root: URL = PROJECT_ROOT): Promise<Uint8Array> {
  const url = projectUrl(path, root);
  if (url.protocol === "file:") return await Deno.readFile(url);
  const res = await fetch(url);
  if (!res.ok) {
    await res.body?.cancel();
    throw new Deno.errors.NotFound(`${path}: ${res.status}`);
  }
  return new Uint8Array(await res.arrayBuffer());
}

export async function readTextFile(path: string, root: URL = PROJECT_ROOT): Promise<string> {
  return new TextDecoder().decode(await readFile(path, root));
}

/** Every file under a project folder, as root-relative paths; [] where files cannot be listed. */
export async function listFiles(dir: string, root: URL = PROJECT_ROOT): Promise<string[]> {
  if (!isLocal(root)) return [];
  const prefix = `${dir.replace(/^\/+/, "").replace(/\/*$/, "")}/`;
  const out: string[] = [];
  const walk = async (rel: string) => {
    for await (const e of Deno.readDir(projectUrl(rel, root))) {
      if (e.isDirectory) await walk(`${rel}${e.name}/`);
      else if (e.isFile) out.push(`${rel}${e.name}`);
    }
  };
  try {
    await walk(prefix);
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  return out.sort();
}
