import { deepStrictEqual, equal, match, throws } from "node:assert/strict";
import { ConfigError, describeConfig, loadConfig } from "./config.ts";

const LIVE = {
  PIPEDREAM_CLIENT_ID: "cid",
  PIPEDREAM_CLIENT_SECRET: "very-secret-value",
  PIPEDREAM_PROJECT_ID: "proj_abc",
  PIPEDREAM_PROJECT_ENVIRONMENT: "development",
  APP_URL: "https://connect.example.com",
};

Deno.test("no Pipedream variables: sandbox mode with defaults", () => {
  const c = loadConfig({});
  equal(c.mode, "sandbox");
  equal(c.port, 8000);
  equal(c.databaseUrl, "file:data/app.db");
  match(describeConfig(c), /sandbox/);
});

Deno.test("blank variables count as unset", () => {
  equal(loadConfig({ PIPEDREAM_CLIENT_ID: " ", PORT: "" }).mode, "sandbox");
});

Deno.test("all four: live mode, and the description never shows the secret", () => {
  const c = loadConfig({
    ...LIVE,
    APP_URL: "https://connect.example.com",
    PIPEDREAM_API_HOST: "api.example.test",
  });
  equal(c.mode, "live");
  deepStrictEqual(c.live, {
    clientId: "cid",
    clientSecret: "very-secret-value",
    projectId: "proj_abc",
    projectEnvironment: "development",
    apiHost: "api.example.test",
  });
  equal(describeConfig(c).includes("very-secret-value"), false);
  equal(describeConfig(c).includes("cid"), false);
});

Deno.test("some but not all: refuses and names what is missing", () => {
  const { PIPEDREAM_PROJECT_ID: _p, PIPEDREAM_PROJECT_ENVIRONMENT: _e, ...partial } = LIVE;
  throws(() => loadConfig(partial), (err: Error) => {
    equal(err instanceof ConfigError, true);
    match(err.message, /missing: PIPEDREAM_PROJECT_ID, PIPEDREAM_PROJECT_ENVIRONMENT/);
    equal(err.message.includes("very-secret-value"), false);
    return true;
  });
});

Deno.test("bad values are refused with a clear message", () => {
  throws(
    () => loadConfig({ ...LIVE, PIPEDREAM_PROJECT_ENVIRONMENT: "staging" }),
    /development" or "production/,
  );
  throws(() => loadConfig({ PORT: "99999" }), ConfigError);
  throws(() => loadConfig({ APP_URL: "not a url" }), /APP_URL/);
  throws(() => loadConfig({ APP_URL: "ftp://x.example" }), /APP_URL/);
  throws(() => loadConfig({ APP_URL: "https://x.example/app" }), /origin only/);
  throws(() => loadConfig({ TRUST_PROXY_HOPS: "many" }), /TRUST_PROXY_HOPS/);
  throws(() => loadConfig({ TRUST_PROXY_HOPS: "9" }), ConfigError);
});

Deno.test("live mode needs APP_URL: its origin is configuration, never the request's Host", () => {
  const { APP_URL: _url, ...withoutUrl } = LIVE;
  throws(() => loadConfig(withoutUrl), /Live mode needs APP_URL/);
  equal(loadConfig(LIVE).appUrl, "https://connect.example.com");
});

Deno.test("on Val Town (no port to know) APP_URL is required in sandbox mode too", () => {
  const valTown = { VALTOWN_ENTRYPOINT: "https://esm.town/v/me/connect/backend/index.ts" };
  throws(() => loadConfig(valTown), /On Val Town, set APP_URL/);
  equal(loadConfig({ ...valTown, APP_URL: "https://me-connect.web.val.run" }).mode, "sandbox");
});

Deno.test("APP_URL is kept as an origin; the limits' defaults", () => {
  equal(loadConfig({ APP_URL: "https://x.example/" }).appUrl, "https://x.example");
  equal(loadConfig({ APP_URL: "HTTPS://X.example:443" }).appUrl, "https://x.example");
  const c = loadConfig({});
  deepStrictEqual([c.trustProxyHops, c.maxTriggersPerUser, c.maxTriggersTotal], [0, 20, 1000]);
  equal(loadConfig({ TRUST_PROXY_HOPS: "1", MAX_TRIGGERS_TOTAL: "5" }).trustProxyHops, 1);
});

Deno.test("Connect tokens default to the browser's scope; an override must be documented scopes", () => {
  equal(loadConfig({}).connectTokenScope, undefined, "the browser's scope: pipedream/connect_token_scope.ts");
  match(
    describeConfig(loadConfig(LIVE)),
    /connect-token-scope="connect:accounts:read connect:accounts:write"/,
  );
  equal(
    loadConfig({ PIPEDREAM_CONNECT_TOKEN_SCOPE: " connect:accounts:read   connect:actions:* " })
      .connectTokenScope,
    "connect:accounts:read connect:actions:*",
  );
  throws(
    () => loadConfig({ PIPEDREAM_CONNECT_TOKEN_SCOPE: "*" }),
    /SCOPE: \* is not a documented Connect token scope/,
  );
  throws(
    () => loadConfig({ PIPEDREAM_CONNECT_TOKEN_SCOPE: "connect:all" }),
    /connect:all is not a documented/,
  );
});

Deno.test("live mode says which project environment it uses", () => {
  match(
    describeConfig(loadConfig({ ...LIVE, PIPEDREAM_PROJECT_ENVIRONMENT: "production" })),
    /environment=production/,
  );
});

Deno.test("event recovery: every 60 s by default, 0 turns the interval off, nonsense is refused", () => {
  equal(loadConfig({}).recoveryIntervalSeconds, 60);
  equal(loadConfig({ EVENT_RECOVERY_SECONDS: "0" }).recoveryIntervalSeconds, 0);
  throws(
    () => loadConfig({ EVENT_RECOVERY_SECONDS: "soon" }),
    (e: Error) => e instanceof ConfigError && /EVENT_RECOVERY_SECONDS/.test(e.message),
  );
  throws(() => loadConfig({ EVENT_RECOVERY_SECONDS: "-5" }), ConfigError);
});

Deno.test("events kept per deployment: 1,000 by default, settable, nonsense refused", () => {
  equal(loadConfig({}).eventsKeptPerDeployment, 1000);
  equal(loadConfig({ EVENTS_KEPT_PER_DEPLOYMENT: "50000" }).eventsKeptPerDeployment, 50_000);
  throws(
    () => loadConfig({ EVENTS_KEPT_PER_DEPLOYMENT: "all" }),
    (e: Error) => e instanceof ConfigError && /EVENTS_KEPT_PER_DEPLOYMENT/.test(e.message),
  );
  throws(() => loadConfig({ EVENTS_KEPT_PER_DEPLOYMENT: "0" }), ConfigError);
});

Deno.test("every bad value is named, all at once", () => {
  throws(
    () => loadConfig({ PORT: "99999", TRUST_PROXY_HOPS: "1.5", MAX_TRIGGERS_PER_USER: "0x10" }),
    (e: Error) => {
      equal(
        e.message,
        "PORT must be a whole number from 0 to 65535; " +
          "MAX_TRIGGERS_PER_USER must be a whole number of triggers from 1 to 10000; " +
          "TRUST_PROXY_HOPS must be a whole number of proxies from 0 to 5",
      );
      return true;
    },
  );
});
