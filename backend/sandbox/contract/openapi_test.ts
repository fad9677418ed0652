/**
 * The validator itself: it must catch what the document does not allow, or
 * the contract test proves nothing.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { OpenApiContract, toJsonSchema } from "./openapi.ts";
import { sha256Hex } from "../../lib/crypto.ts";

const contract = await OpenApiContract.load();
const json = "application/json";

Deno.test("the stored document is the one its README names", async () => {
  const bytes = await Deno.readFile(new URL("./pipedream-openapi.yml", import.meta.url));
  const hex = await sha256Hex(bytes);
  const readme = await Deno.readTextFile(new URL("./README.md", import.meta.url));
  ok(readme.includes(hex), `README.md should record sha256 ${hex}`);
  equal(contract.version, "2026-05-22");
});

Deno.test("operations are found on both path forms, literal segments first", () => {
  equal(contract.operation("GET", "/v1/connect/proj_abc/accounts")?.operationId, "listAccounts");
  equal(contract.operation("GET", "/v1/connect/accounts?limit=5")?.operationId, "listAccounts");
  equal(contract.operation("POST", "/v1/connect//proxy/aGVsbG8%3D")?.operationId, "postProxy");
  equal(contract.operation("GET", "/v1/connect/proj_abc/projects/info")?.operationId, "retrieveProjectInfo");
  equal(contract.operation("GET", "/v1/connect/projects/info")?.operationId, "retrieveProjectInfo");
  equal(contract.operation("GET", "/v1/connect/projects/proj_abc")?.operationId, "retrieveProject");
  equal(contract.operation("GET", "/v1/connect/apps/slack")?.operationId, "retrieveApp");
  equal(contract.operation("GET", "/v1/connect/tokens/ctok_1/validate")?.operationId, "validateToken");
  equal(contract.operation("PATCH", "/v1/connect/proj_abc/accounts"), undefined);
  deepEqual(contract.operation("POST", "/v1/connect/proj_abc/actions/run")?.security, [
    "ConnectToken",
    "OAuth2",
  ]);
  deepEqual(contract.operation("POST", "/v1/connect/proj_abc/tokens")?.security, ["OAuth2"]);
  equal(contract.operation("POST", "/v1/connect/proj_abc/actions/run")?.requiresEnvironment, true);
});

Deno.test("nullable becomes null in the type, enum or a union", () => {
  deepEqual(toJsonSchema({ type: "string", nullable: true }), { type: ["string", "null"] });
  deepEqual(toJsonSchema({ type: "string", enum: ["a"], nullable: true }), {
    type: ["string", "null"],
    enum: ["a", null],
  });
  deepEqual(toJsonSchema({ nullable: true, allOf: [{ $ref: "#/components/schemas/App" }] }), {
    anyOf: [{ allOf: [{ $ref: "pipedream#/components/schemas/App" }] }, { type: "null" }],
  });
  deepEqual(toJsonSchema({ description: "anything", nullable: true }), { description: "anything" });
  // A property called `format` or `nullable` is a property, not a keyword.
  deepEqual(toJsonSchema({ properties: { nullable: { type: "boolean" } } }), {
    properties: { nullable: { type: "boolean" } },
  });
});

const account = {
  id: "apn_abc",
  name: null,
  external_id: "u1",
  healthy: true,
  dead: null,
  created_at: "2026-01-01T00:00:00.000Z",
  updated_at: "2026-01-01T00:00:00.000Z",
};

Deno.test("a valid body passes; wrong types, formats and patterns fail", () => {
  const list = (data: unknown) =>
    contract.check({ method: "GET", path: "/v1/connect/proj_a/accounts" }, {
      status: 200,
      contentType: json,
      body: { data, page_info: { count: 1, end_cursor: null } },
    });
  deepEqual(list([account]).failures, []);
  match(list([{ ...account, healthy: "yes" }]).failures.join(), /body\/data\/0\/healthy: must be boolean/);
  match(
    list([{ ...account, created_at: "yesterday" }]).failures.join(),
    /created_at: must match format "date-time"/,
  );
  match(list([{ ...account, id: "acc_1" }]).failures.join(), /\/id: must match pattern/);
  match(list([{ name: "no id" }]).failures.join(), /must have required property 'id'/);
});

Deno.test("an undocumented status or media type is a failure; a refusal that was meant is a note", () => {
  const run = { method: "POST", path: "/v1/connect/actions/run" };
  match(
    contract.check(run, { status: 400, contentType: json, body: { error: "bad" } }).failures.join(),
    /status 400 is not documented for runAction/,
  );
  const meant = contract.check({ ...run, expectError: true }, {
    status: 403,
    contentType: json,
    body: { error: "forbidden", code: "forbidden" },
  });
  deepEqual(meant.failures, []);
  match(meant.notes.join(), /403 is not listed/);
  match(
    contract.check({ ...run, expectError: true }, { status: 403, contentType: json, body: { message: "x" } })
      .failures.join(),
    /required property 'error'/,
  );
  // 202 documents no body.
  deepEqual(contract.check(run, { status: 202, body: undefined }).failures, []);
  match(contract.check(run, { status: 202, contentType: json, body: { ok: 1 } }).failures.join(), /no body/);
  match(
    contract.check({ method: "GET", path: "/v1/connect/apps" }, {
      status: 200,
      contentType: "text/html",
      body: "",
    })
      .failures.join(),
    /content-type "text\/html" is not documented/,
  );
});

Deno.test("429 headers must be integers when present; their absence is a note", () => {
  const r = contract.check({ method: "GET", path: "/v1/connect/apps/slack/x/y" }, { status: 429, body: {} });
  match(r.failures.join(), /no operation/);
  const throttled = contract.check({ method: "GET", path: "/v1/connect/proj_a/accounts" }, {
    status: 429,
    contentType: json,
    body: { error: "Throttled" },
    headers: new Headers({ "retry-after": "Wed, 21 Oct 2026 07:28:00 GMT", "x-ratelimit-limit": "100" }),
  });
  match(throttled.failures.join(), /Retry-After: ".*" is not an integer/);
  match(throttled.notes.join(), /X-RateLimit-Remaining is absent/);
});

Deno.test("oneOf is read as anyOf: configured props match more than one branch", () => {
  const r = contract.check({ method: "POST", path: "/v1/connect/proj_a/triggers/deploy" }, {
    status: 200,
    contentType: json,
    body: {
      data: {
        type: "DeployedComponent",
        id: "dc_1",
        owner_id: "exu_1",
        component_id: "sc_1",
        configurable_props: [],
        configured_props: { slack: { authProvisionId: "apn_1" }, channel: "C1", n: 1 },
        active: true,
        created_at: 1,
        updated_at: 1,
        name: "x",
        name_slug: "x",
      },
    },
  });
  deepEqual(r.failures, []);
});

Deno.test("unknown keys are reported, following $ref, allOf, oneOf and nullable", () => {
  const r = contract.check({ method: "GET", path: "/v1/connect/proj_a/components/x" }, {
    status: 200,
    contentType: json,
    body: {
      data: {
        key: "x-y",
        name: "X",
        version: "1.0.0",
        configurable_props: [
          { name: "a", type: "string", secret: true, surprise: 1 },
          { name: "b", type: "app", app: "slack" },
        ],
        surprise_top: true,
      },
    },
  });
  deepEqual(r.failures, []);
  deepEqual(r.unknownKeys.sort(), ["body/data/configurable_props/0/surprise", "body/data/surprise_top"]);
  // A oneOf branch that does not fit fails (an unknown prop type).
  const bad = contract.check({ method: "GET", path: "/v1/connect/proj_a/components/x" }, {
    status: 200,
    contentType: json,
    body: {
      data: { key: "x-y", name: "X", version: "1", configurable_props: [{ name: "a", type: "colour" }] },
    },
  });
  ok(bad.failures.length > 0);
  // Free-form objects (additionalProperties: true) report nothing inside.
  const run = contract.check({ method: "POST", path: "/v1/connect/actions/run" }, {
    status: 200,
    contentType: json,
    body: { exports: { $summary: "ok", anything: 1 }, os: [], ret: { deep: { x: 1 } }, stash_id: null },
  });
  deepEqual(run, { operation: run.operation, failures: [], unknownKeys: [], notes: [] });
});
