/**
 * The sandbox's catalog: one folder per app (its definition in app.ts, its
 * tables and queries in store.ts). Adding an app is a folder and one line
 * here (and one in tables.ts if it keeps state).
 */
import { acmeCrm } from "./acme_crm/app.ts";
import { acmeDesk } from "./acme_desk/app.ts";
import { googleSheets } from "./google_sheets/app.ts";
import { slack } from "./slack/app.ts";
import type { AppDef, ComponentDef } from "./types.ts";

/** The sandbox's apps, in the order they are listed. */
export const APPS: AppDef[] = [googleSheets, slack, acmeCrm, acmeDesk];

/** An app by its name slug or its id (`app_sbx_{slug}`): Pipedream's app routes and filters take either. */
export const findApp = (slugOrId: string): AppDef | undefined =>
  APPS.find((a) => a.slug === slugOrId || `app_sbx_${a.slug}` === slugOrId);

export function findComponent(key: string): { app: AppDef; component: ComponentDef } | undefined {
  for (const app of APPS) {
    const component = app.components.find((c) => c.key === key);
    if (component) return { app, component };
  }
  return undefined;
}
