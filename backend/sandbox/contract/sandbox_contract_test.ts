/**
 * Every operation the app, connect-react and the scratchpad call (and the rest
 * the sandbox serves), with the server's OAuth token and with a Connect token,
 * on both path forms, each response checked against Pipedream's published
 * OpenAPI document. Unknown keys are printed; anything the document does not
 * allow fails, unless it is listed in KNOWN_FAILURES below, which is the
 * remaining work: a listed case that starts passing fails too, so the list
 * can only shrink.
 */
import { deepEqual, ok } from "node:assert/strict";
import { ManualClock } from "../../lib/clock.ts";
import { SANDBOX_CREDENTIALS } from "../credentials.ts";
import type { AnswerSpec } from "../switches.ts";
import { connectAccountViaSandbox, sandboxAccessToken, standaloneSandbox } from "../testing.ts";
import { type CheckResult, OpenApiContract } from "./openapi.ts";
import { toBase64 } from "../../../shared/encoding.ts";

type Who = "oauth" | "connect";
type Form = "project" | "browser";
type Ctx = {
  user: string;
  slack: string;
  sheets: string;
  acme: string;
  /** An account of the app whose domain depends on the account (relative proxy paths). */
  desk: string;
  trigger: string;
  webhookId: string;
  /** A fresh account of `app` for the user (for calls that delete one). */
  freshAccount(app: string): Promise<string>;
  /** A fresh deployed trigger of the user. */
  freshTrigger(): Promise<string>;
};
type Case = {
  operationId: string;
  method: string;
  /** `P/` stands for the project prefix of the form being exercised. */
  path: (c: Ctx) => string | Promise<string>;
  body?: (c: Ctx) => unknown;
  /** Paths without a project segment have only one form. */
  oneForm?: boolean;
  /** The user a Connect token is minted for, when not the test's user. */
  tokenUser?: (c: Ctx) => string;
  /** A proxy call, and the status its upstream API answers (relayed: see openapi.ts). */
  upstream?: number;
  /** An answer switch set for this one call (answers.ts), and the status it must give. */
  answer?: { spec: Omit<AnswerSpec, "times">; status: number };
  /**
   * A call the sandbox refuses where the document is silent (an error status
   * it does not list, with the documented `ErrorResponse` body), and why.
   */
  refusal?: { status: number; why: string };
};

/**
 * Known differences from the published document, by `operationId who form`,
 * with what the document says: none today. A difference found later goes
 * here with its reason until the sandbox is fixed.
 */
const KNOWN_FAILURES: Record<string, string> = {};

const P = (form: Form) =>
  form === "project" ? `/v1/connect/${SANDBOX_CREDENTIALS.projectId}` : "/v1/connect/";
const b64 = (url: string) => encodeURIComponent(toBase64(url));
const ACME = "https://api.acme-crm.example";
const slackProxy = (c: Ctx) =>
  `P/proxy/${
    b64("https://slack.com/api/conversations.list")
  }?external_user_id=${c.user}&account_id=${c.slack}`;

/** `runAction` of `id` for the context's user, with an answer switched on first if given. */
function runActionCase(
  id: string,
  props: (c: Ctx) => Record<string, unknown>,
  answer?: Case["answer"],
): Case {
  return {
    operationId: "runAction",
    method: "POST",
    path: () => "P/actions/run",
    body: (c) => ({ id, external_user_id: c.user, configured_props: props(c) }),
    ...(answer ? { answer } : {}),
  };
}

const CASES: Case[] = [
  {
    operationId: "createToken",
    method: "POST",
    path: () => "P/tokens",
    body: (c) => ({ external_user_id: c.user }),
  },
  {
    operationId: "listAccounts",
    method: "GET",
    path: (c) => `P/accounts?external_user_id=${c.user}&limit=10`,
  },
  {
    operationId: "listAccounts",
    method: "GET",
    path: (c) => `P/accounts?external_user_id=${c.user}&app=slack&include_credentials=false`,
  },
  { operationId: "retrieveAccount", method: "GET", path: (c) => `P/accounts/${c.slack}` },
  { operationId: "listApps", method: "GET", path: () => "/v1/connect/apps?limit=50&q=", oneForm: true },
  { operationId: "retrieveApp", method: "GET", path: () => "/v1/connect/apps/google_sheets", oneForm: true },
  {
    operationId: "listComponents",
    method: "GET",
    path: () => "P/components?limit=50&app=slack&component_type=action",
  },
  { operationId: "listActions", method: "GET", path: () => "P/actions?app=acme_crm" },
  { operationId: "listTriggers", method: "GET", path: () => "P/triggers?app=slack" },
  {
    operationId: "retrieveComponent",
    method: "GET",
    path: () => "P/components/google_sheets-add-single-row",
  },
  { operationId: "retrieveAction", method: "GET", path: () => "P/actions/acme_crm-create-record" },
  { operationId: "retrieveTrigger", method: "GET", path: () => "P/triggers/acme_crm-new-record" },
  ...(["components", "actions", "triggers"] as const).flatMap((kind): Case[] => {
    const cap = kind[0].toUpperCase() + kind.slice(1, -1);
    const key = kind === "triggers" ? "slack-new-message" : "slack-send-message";
    return [{
      operationId: `configure${cap}Prop`,
      method: "POST",
      path: () => `P/${kind}/configure`,
      body: (c) => ({
        id: key,
        external_user_id: c.user,
        prop_name: "channel",
        configured_props: { slack: { authProvisionId: c.slack } },
      }),
    }, {
      operationId: `reload${cap}Props`,
      method: "POST",
      path: () => `P/${kind}/props`,
      body: (c) => ({
        id: kind === "triggers" ? "acme_crm-new-record" : "acme_crm-create-record",
        external_user_id: c.user,
        configured_props: { acme_crm: { authProvisionId: c.acme }, recordType: "deal" },
      }),
    }];
  }),
  runActionCase(
    "slack-send-message",
    (c) => ({ slack: { authProvisionId: c.slack }, channel: "C01GENERAL", text: "contract" }),
  ),
  // A run whose component fails: 200 with its error observation.
  runActionCase("acme_crm-create-record", (c) => ({
    acmeCrm: { authProvisionId: c.acme },
    recordType: "deal",
    title: "x",
    amount: -5,
  })),
  // The answers Pipedream documents that the switch gives: a failed run, and 202 with no body.
  runActionCase(
    "slack-send-message",
    (c) => ({ slack: { authProvisionId: c.slack }, channel: "C01GENERAL", text: "failed" }),
    {
      spec: { component: "slack-send-message", answer: "failed", message: "channel_not_found" },
      status: 200,
    },
  ),
  runActionCase(
    "slack-send-message",
    (c) => ({ slack: { authProvisionId: c.slack }, channel: "C01GENERAL", text: "later" }),
    { spec: { component: "slack-send-message", answer: "accepted" }, status: 202 },
  ),
  ...(["components", "actions", "triggers"] as const).flatMap((kind): Case[] => {
    const cap = kind[0].toUpperCase() + kind.slice(1, -1);
    const key = kind === "triggers" ? "slack-new-message" : "slack-send-message";
    const spec = { component: key, answer: "accepted" } as const;
    return [{
      operationId: `configure${cap}Prop`,
      method: "POST",
      path: () => `P/${kind}/configure`,
      body: (c) => ({ id: key, external_user_id: c.user, prop_name: "channel", configured_props: {} }),
      answer: { spec, status: 202 },
    }, {
      operationId: `reload${cap}Props`,
      method: "POST",
      path: () => `P/${kind}/props`,
      body: (c) => ({ id: key, external_user_id: c.user, configured_props: {} }),
      answer: { spec, status: 202 },
    }];
  }),
  {
    operationId: "deployTrigger",
    method: "POST",
    path: () => "P/triggers/deploy",
    body: (c) => ({
      id: "slack-new-message",
      external_user_id: c.user,
      configured_props: { slack: { authProvisionId: c.slack }, channel: "C01GENERAL" },
      webhook_url: "https://hooks.example/contract",
    }),
  },
  {
    operationId: "listDeployedTriggers",
    method: "GET",
    path: (c) => `P/deployed-triggers?external_user_id=${c.user}`,
  },
  {
    operationId: "retrieveDeployedTrigger",
    method: "GET",
    path: (c) => `P/deployed-triggers/${c.trigger}?external_user_id=${c.user}`,
  },
  {
    operationId: "updateDeployedTrigger",
    method: "PUT",
    path: (c) => `P/deployed-triggers/${c.trigger}?external_user_id=${c.user}`,
    body: () => ({ active: true }),
  },
  {
    operationId: "listDeployedTriggerEvents",
    method: "GET",
    path: (c) => `P/deployed-triggers/${c.trigger}/events?external_user_id=${c.user}&n=5`,
  },
  {
    operationId: "listDeployedTriggerWebhooks",
    method: "GET",
    path: (c) => `P/deployed-triggers/${c.trigger}/webhooks?external_user_id=${c.user}`,
  },
  {
    operationId: "updateDeployedTriggerWebhooks",
    method: "PUT",
    path: (c) => `P/deployed-triggers/${c.trigger}/webhooks?external_user_id=${c.user}`,
    body: () => ({ webhook_urls: ["https://hooks.example/contract"] }),
  },
  {
    operationId: "regenerateDeployedTriggerWebhookSigningKey",
    method: "POST",
    path: (c) =>
      `P/deployed-triggers/${c.trigger}/webhooks/${c.webhookId}/regenerate_signing_key?external_user_id=${c.user}`,
  },
  { operationId: "retrieveProjectEnvironmentWebhook", method: "GET", path: () => "P/webhook" },
  {
    operationId: "regenerateProjectEnvironmentWebhookSigningKey",
    method: "POST",
    path: () => "P/webhook/regenerate_signing_key",
    // The document lists only 200 with the webhook (its `url` a uri) and 429.
    refusal: { status: 404, why: "no project webhook is set, so there is no key to regenerate" },
  },
  { operationId: "retrieveProjectInfo", method: "GET", path: () => "P/projects/info" },
  { operationId: "retrieveProxy", method: "GET", path: slackProxy, upstream: 200 },
  {
    operationId: "retrieveProxy",
    method: "GET",
    upstream: 200,
    path: (c) => `P/proxy/${b64("/api/v2/tickets")}?external_user_id=${c.user}&account_id=${c.desk}`,
  },
  {
    operationId: "postProxy",
    method: "POST",
    upstream: 201,
    path: (c) => `P/proxy/${b64(`${ACME}/v1/contacts`)}?external_user_id=${c.user}&account_id=${c.acme}`,
    body: () => ({ name: "Ada", email: "ada@example.com" }),
  },
  // Acme's API has no such routes: its 404 comes back through the proxy.
  ...(["PUT", "PATCH", "DELETE"] as const).map((method): Case => ({
    operationId: `${method.toLowerCase()}Proxy`,
    method,
    upstream: 404,
    path: (c) => `P/proxy/${b64(`${ACME}/v1/contacts/1`)}?external_user_id=${c.user}&account_id=${c.acme}`,
    ...(method === "DELETE" ? {} : { body: () => ({ name: "Ada" }) }),
  })),
  {
    operationId: "deleteDeployedTrigger",
    method: "DELETE",
    path: async (c) => `P/deployed-triggers/${await c.freshTrigger()}?external_user_id=${c.user}`,
  },
  {
    operationId: "deleteAccount",
    method: "DELETE",
    path: async (c) => `P/accounts/${await c.freshAccount("slack")}`,
  },
  {
    operationId: "deleteAccountByApp",
    method: "DELETE",
    path: async (c) => {
      await c.freshAccount("google_sheets");
      return "P/apps/google_sheets/accounts";
    },
  },
  // A Connect token may delete only its own user.
  {
    operationId: "deleteUserExternalUser",
    method: "DELETE",
    path: (c) => `P/users/${c.user}-gone`,
    tokenUser: (c) => `${c.user}-gone`,
  },
];

Deno.test("every sandbox operation answers what Pipedream's OpenAPI document allows", async () => {
  const contract = await OpenApiContract.load();
  const standalone = await standaloneSandbox({
    clock: new ManualClock(Date.now()),
    deliveryRetryDelaysMs: [10],
  });
  const { sandbox, url } = standalone;
  try {
    const oauth = await sandboxAccessToken(url);
    const call = async (method: string, path: string, token: string | undefined, body?: unknown) => {
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      // The server SDK sends the environment; the browser SDK does not unless told.
      if (token && !token.startsWith("ctok_")) headers["x-pd-environment"] = "development";
      if (body !== undefined) headers["content-type"] = "application/json";
      const res = await fetch(`${url}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch { /* checked as it is */ }
      return {
        status: res.status,
        contentType: res.headers.get("content-type"),
        headers: res.headers,
        body: parsed,
      };
    };
    const mint = async (user: string) => {
      const r = await call("POST", `${P("project")}/tokens`, oauth, { external_user_id: user });
      return (r.body as { token: string }).token;
    };
    const connect = async (user: string, app: string, fields?: Record<string, string>) => {
      const { accountId, error } = await connectAccountViaSandbox(url, await mint(user), app, { fields });
      if (!accountId) throw new Error(`could not connect ${app}: ${error}`);
      return accountId;
    };
    const deploy = async (user: string, slack: string) => {
      const r = await call("POST", `${P("project")}/triggers/deploy`, oauth, {
        id: "slack-new-message",
        external_user_id: user,
        configured_props: { slack: { authProvisionId: slack }, channel: "C01GENERAL" },
        webhook_url: "https://hooks.example/contract",
      });
      return (r.body as { data: { id: string } }).data.id;
    };

    const user = "contract-user";
    const slack = await connect(user, "slack");
    const trigger = await deploy(user, slack);
    const hooks = await call(
      "GET",
      `${P("project")}/deployed-triggers/${trigger}/webhooks?external_user_id=${user}`,
      oauth,
    );
    const ctx: Ctx = {
      user,
      slack,
      sheets: await connect(user, "google_sheets"),
      acme: await connect(user, "acme_crm", { api_key: "sbx_key_contract1" }),
      desk: await connect(user, "acme_desk", { subdomain: "contract", api_token: "sbx_key_contract1" }),
      trigger,
      webhookId: (hooks.body as { webhooks: Array<{ id: string }> }).webhooks[0].id,
      freshAccount: (app) => connect(user, app),
      freshTrigger: () => deploy(user, slack),
    };

    const problems = new Map<string, string[]>();
    const unknown = new Map<string, Set<string>>();
    const notes = new Set<string>();
    // The oauth token endpoint and token validation: no Authorization header.
    const record = (key: string, r: CheckResult) => {
      if (r.failures.length) problems.set(key, [...(problems.get(key) ?? []), ...r.failures]);
      for (const k of r.unknownKeys) {
        const id = r.operation?.operationId ?? key;
        unknown.set(id, (unknown.get(id) ?? new Set()).add(k));
      }
      for (const n of r.notes) notes.add(`${key}: ${n}`);
    };
    const tokenRes = await fetch(`${url}/v1/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        grant_type: "client_credentials",
        client_id: SANDBOX_CREDENTIALS.clientId,
        client_secret: SANDBOX_CREDENTIALS.clientSecret,
      }),
    });
    record(
      "createOauthToken public",
      contract.check({ method: "POST", path: "/v1/oauth/token" }, {
        status: tokenRes.status,
        contentType: tokenRes.headers.get("content-type"),
        body: await tokenRes.json(),
      }),
    );
    const fresh = await mint(user);
    for (
      const path of [
        `/v1/connect/tokens/${fresh}/validate?app_id=slack`,
        `/v1/connect/tokens/ctok_0/validate`,
      ]
    ) {
      const r = await call("GET", path, undefined);
      record("validateToken public", contract.check({ method: "GET", path }, r));
    }

    for (const c of CASES) {
      for (const who of ["oauth", "connect"] as const) {
        for (const form of c.oneForm ? ["project" as const] : ["project", "browser"] as const) {
          const op = contract.operations.find((o) => o.operationId === c.operationId);
          ok(op, `${c.operationId} is in the document`);
          const refused = who === "connect" && !op.security.includes("ConnectToken");
          const token = who === "oauth" ? oauth : await mint(c.tokenUser?.(ctx) ?? user);
          const path = (await c.path(ctx)).replace(/^P\//, `${P(form)}/`);
          if (c.answer) sandbox.answers.add({ ...c.answer.spec, times: 1 });
          const res = await call(c.method, path, token, c.body?.(ctx));
          const key = `${c.operationId} ${who} ${form}`;
          const r = contract.check(
            {
              method: c.method,
              path,
              expectError: refused || c.refusal !== undefined,
              relaysUpstream: res.status === c.upstream,
            },
            res,
          );
          if (r.operation && r.operation.operationId !== c.operationId) {
            r.failures.push(`reached ${r.operation.operationId}, meant ${c.operationId}`);
          }
          if (c.refusal && !refused && res.status !== c.refusal.status) {
            r.failures.push(`expected ${c.refusal.status} (${c.refusal.why}), got ${res.status}`);
          }
          if (c.answer && !refused && res.status !== c.answer.status) {
            r.failures.push(
              `the ${c.answer.spec.answer} switch answered ${res.status}, not ${c.answer.status}`,
            );
          }
          record(key, r);
        }
      }
    }

    // A throttled call: the documented body and integer rate-limit headers, all of them.
    sandbox.faults.add({ match: "/accounts", method: "GET", status: 429, retryAfter: 3, times: 1 });
    const limitedPath = `${P("project")}/accounts?external_user_id=${user}`;
    const limited = contract.check(
      { method: "GET", path: limitedPath },
      await call("GET", limitedPath, oauth),
    );
    record("listAccounts throttled", limited);
    deepEqual(limited.notes, [], "every documented rate-limit header is present");

    for (const [op, keys] of unknown) console.log(`unknown keys in ${op}: ${[...keys].sort().join(", ")}`);
    for (const n of notes) console.log(`note: ${n}`);
    const unexpected = [...problems].filter(([k]) => !(k in KNOWN_FAILURES));
    const fixed = Object.keys(KNOWN_FAILURES).filter((k) => !problems.has(k));
    for (const [k, f] of problems) {
      console.log(`${k in KNOWN_FAILURES ? "known" : "FAIL"}: ${k}: ${f.join("; ")}`);
    }
    const report = { unexpected: unexpected.map(([k, f]) => `${k}: ${f.join("; ")}`), nowPassing: fixed };
    deepEqual(
      report,
      { unexpected: [], nowPassing: [] },
      `a failure not in KNOWN_FAILURES, or a listed one that now passes (remove it from the list): ${
        JSON.stringify(report, null, 2)
      }`,
    );
  } finally {
    await standalone.close();
  }
});
