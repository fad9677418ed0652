/**
 * Listing, retrieving and configuring components, served three times as
 * Pipedream does: `/v1/connect/components` (both kinds), `/actions` and
 * `/triggers` (one kind each). Configure answers a prop's remote options;
 * props reloads the props a configuration has (and remembers it by id).
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import { actingOwner, inEnvironment } from "../environment.ts";
import { APPS, findComponent } from "../catalog/index.ts";
import { type Observation, PropError } from "../catalog/types.ts";
import { ConfiguredProps, foreignAccount } from "../component_calls.ts";
import { badRequest, notFound, type SandboxEnv } from "../http.ts";
import { json, query } from "../validate.ts";
import { insertDynamicProps, newId } from "../store.ts";
import { Limit, paginate, wireComponent } from "../wire.ts";
import type { SandboxDeps } from "./types.ts";

export type ComponentKind = "components" | "actions" | "triggers";

const ListComponents = z.object({
  app: z.string().optional(),
  q: z.string().max(200).optional(),
  component_type: z.enum(["action", "trigger"]).optional(),
  after: z.string().optional(),
  limit: Limit,
}).passthrough();

/** What the form calls (configure, props) send about the component being configured. */
const FormCall = z.object({
  id: z.string().min(1),
  external_user_id: z.string().optional(),
  configured_props: ConfiguredProps,
  dynamic_props_id: z.string().optional(),
}).passthrough();

const ConfigureProp = FormCall.extend({
  prop_name: z.string().min(1),
  query: z.string().max(500).optional(),
  page: z.number().int().min(0).optional(),
});

export function componentRoutes(deps: SandboxDeps, kind: ComponentKind) {
  const { db, clock, guards, context, answers } = deps;
  const typeFilter = kind === "actions" ? "action" : kind === "triggers" ? "trigger" : undefined;
  const lookup = (key: string) => {
    const found = findComponent(key);
    return found && (!typeFilter || found.component.type === typeFilter) ? found : undefined;
  };
  /** The component a form call names, and whom it acts for. */
  const resolveFormCall = (c: Context<SandboxEnv>, b: z.infer<typeof FormCall>) => {
    const found = lookup(b.id);
    if (!found) throw notFound(`Component ${b.id} not found`);
    const owner = actingOwner(c, b.external_user_id);
    if (!owner) throw badRequest("external_user_id is required");
    return { found, owner };
  };

  return new Hono<SandboxEnv>()
    .use(guards.signedIn, inEnvironment)
    .get("/", query(ListComponents), (c) => {
      const q = c.req.valid("query");
      const wanted = typeFilter ?? q.component_type;
      const needle = q.q?.toLowerCase();
      const list = APPS.filter((a) => !q.app || a.slug === q.app)
        .flatMap((a) => a.components)
        .filter((cd) => !wanted || cd.type === wanted)
        .filter((cd) => !needle || cd.name.toLowerCase().includes(needle) || cd.key.includes(needle));
      const page = paginate(list, q.after, q.limit);
      return c.json({ data: page.data.map((cd) => wireComponent(cd)), page_info: page.page_info });
    })
    .get("/:key", (c) => {
      const found = lookup(c.req.param("key"));
      if (!found) throw notFound(`Component ${c.req.param("key")} not found`);
      return c.json({ data: wireComponent(found.component) });
    })
    .post("/configure", json(ConfigureProp), async (c) => {
      const b = c.req.valid("json");
      const { found, owner } = resolveFormCall(c, b);
      if (answers.take(b.id, "configure")) return c.body(null, 202);
      const prop = found.component.props(b.configured_props).find((p) => p.name === b.prop_name);
      if (!prop) throw badRequest(`Unknown prop ${b.prop_name}`);
      const os: Observation[] = [];
      const foreign = await foreignAccount(db, found.component, owner, b.configured_props);
      if (foreign) return c.json({ options: [], errors: [foreign], observations: os });
      if (!prop.remoteOptions || !found.component.options) {
        return c.json({
          options: [],
          errors: [`Prop ${b.prop_name} has no remote options`],
          observations: os,
        });
      }
      try {
        const options = (b.page ?? 0) > 0 ? [] : await found.component.options(
          context(owner, b.configured_props, os),
          b.prop_name,
          b.configured_props,
          b.query,
        );
        return c.json({ options, context: { page: (b.page ?? 0) + 1 }, observations: os, errors: [] });
      } catch (err) {
        if (!(err instanceof PropError)) throw err;
        return c.json({ options: [], errors: [err.message], observations: os });
      }
    })
    .post("/props", json(FormCall), async (c) => {
      const b = c.req.valid("json");
      const { found, owner } = resolveFormCall(c, b);
      if (answers.take(b.id, "props")) return c.body(null, 202);
      const id = newId("dyp_");
      await insertDynamicProps(db, {
        id,
        ...owner,
        componentKey: b.id,
        configuredProps: b.configured_props,
        createdAt: clock.now(),
      });
      // camelCase on the wire: the SDK's ReloadPropsResponse maps no snake_case names here.
      return c.json({
        dynamicProps: { id, configurableProps: found.component.props(b.configured_props) },
        observations: [],
        errors: [],
      });
    });
}
