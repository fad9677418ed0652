/**
 * The routes the trust suite attacks, read from the app's own route table
 * (`app.routes`, lazy groups included), so a route added to the app is attacked without anyone
 * listing it: hostile ids, queries and bodies (bad_input_test), another
 * user's ids and bodies (isolation_test), the credential scan
 * (credentials_test). What the table cannot say, a valid body for a route
 * that takes one, is in `ROUTE_CASES`; routes_test fails for an API body
 * route missing there, naming it.
 */
import type { Hono } from "hono";
import type { Db } from "../database/db.ts";
import { everyRoute } from "../lib/lazy.ts";

export type Route = {
  method: string;
  /** As registered, with `:name` params (`/api/accounts/:id`). */
  path: string;
  params: string[];
  /** `"POST /api/triggers"`: the key of its case in ROUTE_CASES. */
  key: string;
};

/** Methods whose requests carry a JSON body. */
const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);

/**
 * Every route of the app, those it loads on first use included (lib/lazy.ts), but the sandbox (it stands
 * in for Pipedream; its contract tests cover it).
 */
// deno-lint-ignore no-explicit-any
export async function routeTable(app: Hono<any>): Promise<Route[]> {
  const out = new Map<string, Route>();
  for (const r of await everyRoute(app)) {
    // `use()` middleware is registered as method ALL; a handler for every method would be too (none is).
    if (r.method === "ALL" || r.path === "/sandbox" || r.path.startsWith("/sandbox/")) continue;
    const key = `${r.method} ${r.path}`;
    out.set(key, {
      method: r.method,
      path: r.path,
      params: [...r.path.matchAll(/:(\w+)/g)].map((m) => m[1]),
      key,
    });
  }
  return [...out.values()];
}

export const takesBody = (r: Route) => BODY_METHODS.has(r.method);
export const isApi = (r: Route) => r.path.startsWith("/api/");

/** The path with every param replaced by `value` (URL-encoded unless `raw`). */
export function fillPath(r: Route, value: string, raw = false): string {
  return r.path.replace(/:\w+/g, raw ? value : encodeURIComponent(value));
}

/** Ids of one user's things, which another user's requests name. */
export type OwnedIds = { account: string; trigger: string };

export type RouteCase = {
  /** A valid body naming `ids`: its mutations are the hostile bodies, and another user sending it gets a 404. */
  body?: (ids: OwnedIds) => Record<string, unknown>;
  /** A query naming `ids` (a list filtered by one of them): another user gets nothing of theirs. */
  query?: (ids: OwnedIds) => Record<string, string>;
  /** Fields that may be left out. */
  optional?: string[];
  /** The route acts for the caller alone and names nothing of anyone's (so another user's call succeeds). */
  callerOnly?: boolean;
  /** An empty body means `{}`, which is valid. */
  emptyIsValid?: boolean;
  /** It deletes the caller's data and gives them a new identity (Forget me): run it after the others. */
  endsIdentity?: boolean;
};

/**
 * What the route table cannot say: a valid body for each of the API's body
 * routes (add a row when you add one), and queries that name a user's ids. (Other body routes, the webhooks, are signed rather than
 * session-bound: they get the raw hostile bodies, unsigned.)
 */
export const ROUTE_CASES: Record<string, RouteCase> = {
  "POST /api/session": { body: () => ({}), callerOnly: true, emptyIsValid: true },
  // It deletes the caller's own data and gives them a new identity: nobody else's.
  "POST /api/session/forget": { body: () => ({ confirm: true }), callerOnly: true, endsIdentity: true },
  "POST /api/connect/token": {
    body: () => ({ fresh: true }),
    optional: ["fresh"],
    callerOnly: true,
    emptyIsValid: true,
  },
  "POST /api/actions/run": {
    body: (ids) => ({
      actionId: "slack-send-message",
      configuredProps: { slack: { authProvisionId: ids.account }, channel: "C01GENERAL", text: "x" },
    }),
  },
  "POST /api/triggers": {
    body: (ids) => ({
      triggerId: "slack-new-message",
      configuredProps: { slack: { authProvisionId: ids.account }, channel: "C01GENERAL" },
    }),
  },
  // The trigger is named by the path (`:id`); the body is empty.
  "POST /api/triggers/:id/test-event": { body: () => ({}) },
  "GET /api/events": { query: (ids) => ({ trigger: ids.trigger }) },
  // Recovers the caller's own deployments' missed events; names no ids.
  "POST /api/events/sync": { body: () => ({}), callerOnly: true, emptyIsValid: true },
  "POST /api/proxy": {
    body: (ids) => ({
      accountId: ids.account,
      method: "GET",
      path: "/conversations.history?channel=C01GENERAL",
    }),
  },
};

/** Ids in the right shape that name nothing: the base of the hostile bodies. */
export const NOBODYS_IDS: OwnedIds = { account: "apn_abc123", trigger: "dc_abc123" };

/** Tables the app keeps for itself (not anyone's data): requests may change them. */
const BOOKKEEPING = new Set(["schema_migrations", "sqlite_sequence", "rate_limits", "sandbox_oauth_tokens"]);

/**
 * Everything one user owns, as stored: their rows of every table that has an
 * `external_user_id`, and every row of the tables that do not (minus the
 * app's bookkeeping). Equal snapshots mean nothing of theirs changed.
 */
export async function snapshotOf(db: Db, externalUserId: string): Promise<Record<string, unknown[]>> {
  const tables = (await db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).rows
    .map((r) => String(r.name)).filter((t) => !BOOKKEEPING.has(t));
  const out: Record<string, unknown[]> = {};
  for (const t of tables) {
    const columns = (await db.execute(`PRAGMA table_info("${t}")`)).rows.map((r) => String(r.name));
    const rs = columns.includes("external_user_id")
      ? await db.execute({
        sql: `SELECT * FROM "${t}" WHERE external_user_id = ? ORDER BY rowid`,
        args: [externalUserId],
      })
      : await db.execute(`SELECT * FROM "${t}" ORDER BY rowid`);
    out[t] = rs.rows.map((r) => ({ ...r }));
  }
  return out;
}
