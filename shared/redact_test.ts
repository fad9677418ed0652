import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { callPath, redact, REDACTED, redactJsonText, redactQuery } from "./redact.ts";

Deno.test("secret keys and token-shaped values are redacted at any depth", () => {
  deepStrictEqual(
    redact({
      text: "hello",
      apiKey: "abc",
      nested: { oauth_access_token: "x", list: ["Bearer abc.def", "ctok_123", "plain"] },
      custom: "sbx_key_abcdef",
      count: 3,
    }),
    {
      text: "hello",
      apiKey: REDACTED,
      nested: { oauth_access_token: REDACTED, list: [REDACTED, REDACTED, "plain"] },
      custom: REDACTED,
      count: 3,
    },
  );
});

Deno.test("a secret key hides its whole value, whatever its type", () => {
  deepStrictEqual(
    redact({ credentials: { a: { b: "c" } }, signingKey: 42, client_secret: ["x"], Authorization: null }),
    { credentials: REDACTED, signingKey: REDACTED, client_secret: REDACTED, Authorization: REDACTED },
  );
});

Deno.test("props named secret by the component are redacted by name", () => {
  deepStrictEqual(redact({ pin: "1234", name: "x" }, new Set(["pin"])), { pin: REDACTED, name: "x" });
});

Deno.test("JSON text is redacted; long non-JSON is summarised, short non-JSON redacted", () => {
  equal(redactJsonText('{"token":"t"}'), `{"token":"${REDACTED}"}`);
  // What the browser's recorder used to miss: nested objects under a secret key, keys not ending in token.
  equal(
    redactJsonText('{"data":{"signing_key":"k","credentials":{"x":{"y":1}}},"n":1}'),
    `{"data":{"signing_key":"${REDACTED}","credentials":"${REDACTED}"},"n":1}`,
  );
  equal(redactJsonText("x".repeat(300)), "[300 bytes of non-JSON]");
  equal(redactJsonText("bad ctok_abc"), `bad ${REDACTED}`);
  equal(redactJsonText(""), undefined);
  ok(redactJsonText(JSON.stringify({ pad: "p".repeat(30_000) }))!.endsWith("…"));
});

Deno.test("tokens inside longer strings are redacted too", () => {
  equal(
    redact("https://x.example/connect.html?token=ctok_abc123&app=slack"),
    "https://x.example/connect.html?token=[redacted]&app=slack",
  );
});

Deno.test("query strings: secret parameter names and token-shaped values are redacted, the rest kept as sent", () => {
  equal(redactQuery(""), "");
  equal(redactQuery("?app=slack&limit=10"), "?app=slack&limit=10");
  equal(redactQuery("?token=abc&app=slack"), `?token=${REDACTED}&app=slack`);
  equal(redactQuery("?access_token=abc&x=1"), `?access_token=${REDACTED}&x=1`);
  equal(
    redactQuery("?link=https%3A%2F%2Fx%2F%3Ft%3Dctok_abc&q=a+b"),
    `?link=https%3A%2F%2Fx%2F%3Ft%3D${REDACTED}&q=a+b`,
  );
  equal(redactQuery("?auth=Bearer%20abc&flag"), `?auth=${REDACTED}&flag`);
  equal(redactQuery("?%E0%A4=1&v=%E0%A4"), "?%E0%A4=1&v=%E0%A4");
});

Deno.test("callPath: the path below Pipedream's base path, with its query redacted", () => {
  equal(
    callPath(new URL("http://127.0.0.1:8000/sandbox/v1/connect/proj_x/tokens?token=ctok_1"), "/sandbox"),
    `/v1/connect/proj_x/tokens?token=${REDACTED}`,
  );
  equal(
    callPath(new URL("https://api.pipedream.com/v1/connect/proj_x/apps?q=sl"), ""),
    "/v1/connect/proj_x/apps?q=sl",
  );
  equal(callPath(new URL("https://api.pipedream.com/v1/apps"), "/"), "/v1/apps");
  // A base path is a whole segment: /sandboxes is not under /sandbox.
  equal(callPath(new URL("http://h/sandboxes/v1"), "/sandbox"), "/sandboxes/v1");
});
