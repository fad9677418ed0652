/**
 * What a start loads: the modules backend/index.ts imports statically are
 * loaded (and evaluated) before the app can answer anything, on Val Town at
 * every cold start. The first requests (the page, the session) need the
 * database, the session and the router; what else the app has loads on first
 * use (lib/lazy.ts): the Pipedream SDK (pipedream/sdk.ts), zod and the
 * request schemas, the other routes, the webhook receiver, and the sandbox's
 * routes and catalog apps. A static import of any of them would add it to
 * every cold start again, and fail here.
 */
import { deepStrictEqual, ok } from "node:assert/strict";

type Dependency = { specifier: string; code?: { specifier: string }; isDynamic?: boolean };
type Info = { roots: string[]; modules: Array<{ specifier: string; dependencies?: Dependency[] }> };

const ROOT = new URL("../", import.meta.url).href;

/**
 * The project's modules reachable from `entry` (paths from the project root)
 * and the packages they import, by name as written ("hono", "node:crypto"):
 * through static imports only, or through dynamic ones too.
 */
async function graph(entry: string, withDynamic = false) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", new URL(entry, import.meta.url).pathname],
    stdout: "piped",
    stderr: "null",
  }).output();
  const info: Info = JSON.parse(new TextDecoder().decode(out.stdout));
  const modules = new Map(info.modules.map((m) => [m.specifier, m]));
  const local = new Set<string>();
  const packages = new Set<string>();
  const visit = (specifier: string) => {
    if (!specifier.startsWith(ROOT) || specifier.includes("/node_modules/")) return;
    const path = specifier.slice(ROOT.length);
    if (local.has(path)) return;
    local.add(path);
    for (const d of modules.get(specifier)?.dependencies ?? []) {
      if (!d.code || (d.isDynamic && !withDynamic)) continue;
      if (/^(\.|\/|file:)/.test(d.specifier)) visit(d.code.specifier);
      else packages.add(d.specifier.match(/^(node:[^/]+|npm:@?[^@]+|@[^/]+\/[^/]+|[^/]+)/)![1]);
    }
  };
  for (const root of info.roots) visit(root);
  return { local, packages };
}

const start = graph("./index.ts");

Deno.test("a start loads no Pipedream SDK: it is imported only where it is first needed", async () => {
  const { local, packages } = await start;
  ok(local.size > 20, "the graph was read");
  ok(packages.has("hono"), "the packages imported appear in it");
  deepStrictEqual([...packages].filter((p) => p.includes("@pipedream/sdk")), []);
});

/** What loads on first use (lib/lazy.ts), by path from the project root: a prefix, or a whole path. */
const LAZY = [
  "shared/api.ts",
  "backend/routes/",
  "backend/webhooks/receiver.ts",
  "backend/webhooks/events_api.ts",
  "backend/sandbox/api.ts",
  "backend/sandbox/routes/",
  "backend/sandbox/switches.ts",
  "backend/sandbox/catalog/index.ts",
  "backend/sandbox/catalog/google_sheets/app.ts",
];
/** Served from start: reading the session, and the page (their routes). */
const AT_START = ["backend/routes/session.ts", "backend/routes/static.ts"];

Deno.test("a start loads no zod, no request schemas, no routes but the first requests', no sandbox API", async () => {
  const { local, packages } = await start;
  deepStrictEqual([...packages].filter((p) => /zod/.test(p)), []);
  const lazyAtStart = [...local].filter((path) =>
    !AT_START.includes(path) &&
    LAZY.some((lazy) => path === lazy || (lazy.endsWith("/") && path.startsWith(lazy)))
  );
  deepStrictEqual(lazyAtStart, []);
  // What is named above exists, and is still loaded: by the dynamic imports.
  const all = await graph("./index.ts", true);
  for (const lazy of LAZY) ok([...all.local].some((path) => path.startsWith(lazy)), `${lazy} is in the app`);
  ok(all.packages.has("zod"));
});
