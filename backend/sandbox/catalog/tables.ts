/**
 * Every catalog app's own tables (`sandbox_<app>_…`, each made by its
 * store.ts), created with the sandbox's at start; the apps themselves
 * (index.ts) load with the sandbox's routes, on first use (lib/lazy.ts).
 * An app that keeps state adds its migrations here.
 */
import type { Migration } from "../../database/migrate.ts";
import { acmeCrmMigrations } from "./acme_crm/store.ts";
import { acmeDeskMigrations } from "./acme_desk/store.ts";
import { googleSheetsMigrations } from "./google_sheets/store.ts";
import { slackMigrations } from "./slack/store.ts";

export const catalogMigrations: Migration[] = [
  ...googleSheetsMigrations,
  ...slackMigrations,
  ...acmeCrmMigrations,
  ...acmeDeskMigrations,
];
