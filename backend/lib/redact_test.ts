import { deepStrictEqual, equal } from "node:assert/strict";
import { redact, REDACTED, redactJsonText } from "./redact.ts";

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

Deno.test("props named secret by the component are redacted by name", () => {
  deepStrictEqual(redact({ pin: "1234", name: "x" }, new Set(["pin"])), { pin: REDACTED, name: "x" });
});

Deno.test("JSON text is redacted; long non-JSON is summarised", () => {
  equal(redactJsonText('{"token":"t"}'), `{"token":"${REDACTED}"}`);
  equal(redactJsonText("x".repeat(300)), "[300 bytes of non-JSON]");
  equal(redactJsonText(""), undefined);
});

Deno.test("tokens inside longer strings are redacted too", () => {
  equal(
    redact("https://x.example/connect.html?token=ctok_abc123&app=slack"),
    "https://x.example/connect.html?token=[redacted]&app=slack",
  );
});
