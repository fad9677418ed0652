/**
 * What every call into a catalog component shares: the props it is given
 * (remote-option labels unwrapped), the context it runs with (the db, the
 * clock, the user's accounts, emitting to deployments), and the checks made
 * before a run or a deploy.
 */
import { z } from "zod";
import type { Db } from "../database/db.ts";
import type { Clock } from "../lib/clock.ts";
import type { ComponentDef, Ctx, Observation } from "./catalog/types.ts";
import { PropError } from "./catalog/types.ts";
import type { Deliveries } from "./deliveries.ts";
import { emitEvent } from "./emitter.ts";
import type { Owner } from "./environment.ts";
import { dynamicPropsExist, findAccount, listDeployments } from "./store.ts";

/**
 * Remote-option values arrive as `{ __lv: { label, value } }` when the form
 * keeps their labels (connect-react does); components see the plain value.
 */
export function unwrapLabeled(props: Record<string, unknown>): Record<string, unknown> {
  const unwrap = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(unwrap);
    if (v && typeof v === "object" && "__lv" in v) {
      const lv = (v as { __lv: unknown }).__lv;
      return Array.isArray(lv)
        ? lv.map((x) => (x as { value?: unknown })?.value)
        : (lv as { value?: unknown })?.value;
    }
    return v;
  };
  return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, unwrap(v)]));
}

/** `configured_props` as components see them. */
export const ConfiguredProps = z.record(z.string(), z.unknown()).default({}).transform(unwrapLabeled);

export type ComponentContext = (
  owner: Owner,
  configured: Record<string, unknown>,
  observations: Observation[],
) => Ctx;

/** The per-call context components run with. */
export function createComponentContext(
  deps: { db: Db; clock: Clock; deliveries: Deliveries },
): ComponentContext {
  const { db, clock, deliveries } = deps;
  return ({ environment, externalUserId }, configured, os) => ({
    db,
    now: clock.now(),
    externalUserId,
    log: (msg) => os.push({ ts: clock.now(), k: "console.log", msg }),
    async account(propName) {
      const ref = configured[propName] as { authProvisionId?: unknown } | undefined;
      const id = ref && typeof ref === "object" ? ref.authProvisionId : undefined;
      if (typeof id !== "string") throw new PropError(`${propName}: connect an account first`);
      // Only an account of this user, in this environment.
      const a = await findAccount(db, environment, id);
      if (!a || a.externalUserId !== externalUserId) {
        throw new PropError(`${propName}: account ${id} not found`);
      }
      return a;
    },
    // The stand-in app's events are the user's third-party account's: every
    // deployment watching it hears them, in either environment.
    async emit(componentKey, match, event, summary) {
      const targets = (await listDeployments(db, { externalUserId, componentKey, activeOnly: true }))
        .filter((d) => match(d.configuredProps));
      for (const d of targets) await emitEvent(db, deliveries, d, event, summary, clock.now());
      return targets.length;
    },
  });
}

/**
 * What is wrong with a run or deploy request before the component sees it:
 * a dynamic-props id that is not this user's (in this environment) for this
 * component, a required prop left out, or an app prop naming an account that
 * is not this user's account of that app in this environment. Undefined when
 * nothing is.
 */
export async function preflight(
  db: Db,
  component: ComponentDef,
  owner: Owner,
  props: Record<string, unknown>,
  dynamicPropsId: string | undefined,
): Promise<string | undefined> {
  if (dynamicPropsId && !await dynamicPropsExist(db, owner, dynamicPropsId, component.key)) {
    return `dynamic_props_id ${dynamicPropsId} not found for ${component.key}`;
  }
  const declared = component.props(props);
  const missing = declared
    .filter((p) => !p.optional && p.type !== "alert" && !p.type.startsWith("$.") && p.default === undefined)
    .filter((p) => props[p.name] === undefined || props[p.name] === "")
    .map((p) => p.name);
  if (missing.length) return `Missing required props: ${missing.join(", ")}`;
  return await foreignAccount(db, component, owner, props);
}

/**
 * An app prop that names an account other than this user's account of that
 * app in this environment (what Pipedream could not authenticate with), as a
 * message; undefined when every account given is the owner's.
 */
export async function foreignAccount(
  db: Db,
  component: ComponentDef,
  owner: Owner,
  props: Record<string, unknown>,
): Promise<string | undefined> {
  for (const p of component.props(props).filter((p) => p.type === "app" && props[p.name] !== undefined)) {
    const id = (props[p.name] as { authProvisionId?: unknown } | null)?.authProvisionId;
    if (typeof id !== "string") return `${p.name}: connect an account first`;
    const a = await findAccount(db, owner.environment, id);
    if (!a || a.externalUserId !== owner.externalUserId || a.app !== p.app) {
      return `${p.name}: account ${id} not found`;
    }
  }
  return undefined;
}

/** What running an action and deploying a trigger both send. */
export const RunBody = z.object({
  id: z.string().min(1),
  external_user_id: z.string().min(1),
  configured_props: ConfiguredProps,
  dynamic_props_id: z.string().optional(),
  stash_id: z.union([z.string(), z.boolean()]).nullable().optional(),
}).passthrough();
