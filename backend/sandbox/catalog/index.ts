import { acmeCrm } from "./acme_crm.ts";
import { googleSheets } from "./google_sheets.ts";
import { slack } from "./slack.ts";
import type { AppDef, ComponentDef } from "./types.ts";

/** The sandbox's apps, in the order they are listed. */
export const APPS: AppDef[] = [googleSheets, slack, acmeCrm];

export const findApp = (slug: string): AppDef | undefined => APPS.find((a) => a.slug === slug);

export function findComponent(key: string): { app: AppDef; component: ComponentDef } | undefined {
  for (const app of APPS) {
    const component = app.components.find((c) => c.key === key);
    if (component) return { app, component };
  }
  return undefined;
}
