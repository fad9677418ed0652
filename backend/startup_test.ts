/**
 * What a start loads: the modules backend/index.ts imports statically are
 * loaded (and evaluated) before the app can answer anything, on Val Town at
 * every cold start. The Pipedream SDK is not among them: the first requests
 * (the page, the session) need none of it, and it loads with the first
 * call (pipedream/sdk.ts).
 */
import { deepStrictEqual, ok } from "node:assert/strict";

type Dependency = { code?: { specifier: string }; isDynamic?: boolean };
type Info = { roots: string[]; modules: Array<{ specifier: string; dependencies?: Dependency[] }> };

async function staticGraph(entry: string): Promise<Set<string>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", new URL(entry, import.meta.url).pathname],
    stdout: "piped",
    stderr: "null",
  }).output();
  const info: Info = JSON.parse(new TextDecoder().decode(out.stdout));
  const modules = new Map(info.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const visit = (specifier: string) => {
    if (seen.has(specifier)) return;
    seen.add(specifier);
    for (const d of modules.get(specifier)?.dependencies ?? []) {
      if (d.code && !d.isDynamic) visit(d.code.specifier);
    }
  };
  for (const root of info.roots) visit(root);
  return seen;
}

Deno.test("a start loads no Pipedream SDK: it is imported only where it is first needed", async () => {
  const loaded = await staticGraph("./index.ts");
  ok(loaded.size > 20, "the graph was read");
  ok([...loaded].some((s) => s.startsWith("npm:hono")), "npm packages appear in it");
  deepStrictEqual([...loaded].filter((s) => s.startsWith("npm:@pipedream/sdk")), []);
});
