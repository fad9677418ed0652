import { deepStrictEqual, ok } from "node:assert/strict";
import type { Migration } from "../../database/migrate.ts";
import { APPS } from "./index.ts";
import { catalogMigrations } from "./tables.ts";

Deno.test("every catalog app's tables are created at start: each store.ts's migrations are in tables.ts", async () => {
  const made: Migration[] = [];
  for await (const entry of Deno.readDir(new URL("./", import.meta.url))) {
    if (!entry.isDirectory) continue;
    const store = new URL(`./${entry.name}/store.ts`, import.meta.url);
    if (!(await Deno.stat(store).catch(() => undefined))) continue; // an app without state
    const exported: Record<string, unknown> = await import(store.href);
    for (const [name, value] of Object.entries(exported)) {
      if (name.endsWith("Migrations")) made.push(...(value as Migration[]));
    }
  }
  ok(made.length >= APPS.length - 1, "the stores' migrations were found");
  deepStrictEqual(made.map((m) => m.id).sort(), catalogMigrations.map((m) => m.id).sort());
});
