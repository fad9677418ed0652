import { deepStrictEqual, equal } from "node:assert/strict";
import { Hono } from "hono";
import { z } from "zod";
import { handleErrors } from "./error_mapping.ts";
import { errorResponse } from "./errors.ts";
import { MAX_JSON_BODY_BYTES } from "./body_limit.ts";
import { readJson } from "./validate.ts";

const Lenient = z.record(z.string(), z.unknown());

function app() {
  const a = new Hono();
  a.onError(handleErrors("test", errorResponse));
  a.post("/", async (c) => c.json(await readJson(c, Lenient)));
  return a;
}

const post = (body: string) =>
  app().request("/", { method: "POST", body, headers: { "content-type": "application/json" } });

Deno.test("__proto__, constructor and prototype keys are refused, at any depth, before the schema sees them", async () => {
  for (
    const body of [
      '{"__proto__":{"polluted":true}}',
      '{"a":{"b":[{"__proto__":{}}]}}',
      '{"constructor":{"prototype":{}}}',
    ]
  ) {
    const res = await post(body);
    equal(res.status, 400, body);
    equal((await res.json()).error.code, "invalid_request");
  }
  // Why before: the schema alone would have let it through quietly, the key gone.
  deepStrictEqual(Object.keys(Lenient.parse(JSON.parse('{"__proto__":{"x":1},"a":1}'))), ["a"]);
});

Deno.test("malformed JSON is a 400, an empty body is {}, an oversized one a 413", async () => {
  equal((await post("{")).status, 400);
  deepStrictEqual(await (await post("")).json(), {});
  const big = await post(JSON.stringify({ pad: "x".repeat(MAX_JSON_BODY_BYTES) }));
  equal(big.status, 413);
  equal((await big.json()).error.code, "body_too_large");
});
