import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { PipedreamApiError, pipedreamErrorResponse } from "../sandbox/http.ts";
import { handleErrors, isNotFound, toApiError } from "./error_mapping.ts";
import { ApiError, errorResponse } from "./errors.ts";
import { loadSdk } from "../pipedream/sdk.ts";

// The SDK as the app loads it (pipedream/sdk.ts): its errors are only recognised once it is.
const { PipedreamError } = await loadSdk();

const sqliteBusy = Object.assign(new Error("SQLITE_BUSY: database is locked"), { code: "SQLITE_BUSY" });

Deno.test("every error maps to one status, code and message; nothing unknown is passed off as an outage", () => {
  const cases: Array<[unknown, number, string]> = [
    [new ApiError(409, "trigger_limit", "too many"), 409, "trigger_limit"],
    [new HTTPException(413, { message: "too big" }), 413, "http_error"],
    [sqliteBusy, 503, "storage_unavailable"],
    [
      new PipedreamError({ message: "gone", statusCode: 404, body: { error: "Account not found" } }),
      404,
      "not_found",
    ],
    [new PipedreamError({ message: "down", statusCode: 500 }), 502, "upstream_error"],
    [new TypeError("x is undefined"), 500, "internal"],
    ["a string", 500, "internal"],
  ];
  for (const [err, status, code] of cases) {
    const mapped = toApiError(err);
    deepStrictEqual([mapped.status, mapped.code], [status, code], String(err));
  }
  equal(toApiError(sqliteBusy).headers["Retry-After"], "2");
});

Deno.test("isNotFound: our 404s and Pipedream's, nothing else", () => {
  equal(isNotFound(new ApiError(404, "not_found", "x")), true);
  equal(isNotFound(new PipedreamError({ message: "x", statusCode: 404 })), true);
  equal(isNotFound(new PipedreamError({ message: "x", statusCode: 500 })), false);
  equal(isNotFound({ statusCode: 404 }), false, "no duck typing");
  equal(isNotFound(new Error("404")), false);
});

Deno.test("one handler, two body shapes: the app's and Pipedream's", async () => {
  const logged: unknown[][] = [];
  const error = console.error;
  console.error = (...args: unknown[]) => logged.push(args);
  try {
    for (const [render, shape] of [[errorResponse, "app"], [pipedreamErrorResponse, "pipedream"]] as const) {
      const app = new Hono();
      app.onError(handleErrors("test", render));
      app.get("/bug", () => {
        throw new TypeError("boom");
      });
      app.get("/busy", () => {
        throw sqliteBusy;
      });
      app.get("/limited", () => {
        throw new PipedreamApiError(429, "Rate limit exceeded", undefined, { "Retry-After": "3" });
      });
      const bug = await app.request("/bug");
      equal(bug.status, 500);
      const busy = await app.request("/busy");
      equal(busy.status, 503);
      equal(busy.headers.get("retry-after"), "2");
      const limited = await app.request("/limited");
      equal(limited.status, 429);
      equal(limited.headers.get("retry-after"), "3");
      if (shape === "app") {
        deepStrictEqual(await bug.json(), {
          error: { code: "internal", message: "Something went wrong on our side; try again." },
        });
        await limited.body?.cancel();
      } else {
        deepStrictEqual(await bug.json(), {
          error: "Something went wrong on our side; try again.",
          code: "internal",
        });
        deepStrictEqual(
          await limited.json(),
          { error: "Rate limit exceeded" },
          "Pipedream's codes are optional",
        );
      }
      await busy.body?.cancel();
    }
  } finally {
    console.error = error;
  }
  // Bugs are logged with their stack, outages with their message; a 429 is not ours to log.
  equal(
    logged.filter((l) => /^test: unhandled error GET \/bug\nTypeError: boom\n\s+at /.test(String(l[0])))
      .length,
    2,
  );
  equal(logged.filter((l) => /^test: storage error GET \/busy: SQLITE_BUSY/.test(String(l[0]))).length, 2);
  equal(logged.length, 4);
});

Deno.test("user input in log lines cannot start a line of its own", async () => {
  const logged: string[] = [];
  const error = console.error;
  console.error = (...args: unknown[]) => logged.push(args.map(String).join(" "));
  try {
    const app = new Hono();
    app.onError(handleErrors("test", errorResponse));
    app.post("/up", () => {
      // What fetch says about a header value carrying CR/LF (a proxied request's header, say).
      throw new TypeError('invalid header value: "x\r\n2026-01-01 app: FORGED admin login"');
    });
    app.get("/locked", () => {
      throw Object.assign(new Error("SQLITE_BUSY: locked\nFORGED line"), { code: "SQLITE_BUSY" });
    });
    await (await app.request("/up", { method: "POST" })).body?.cancel();
    await (await app.request("/locked")).body?.cancel();
    await (await app.request("/locked%0d%0aFORGED")).body?.cancel();
  } finally {
    console.error = error;
  }
  for (const entry of logged) {
    for (const line of entry.split("\n")) {
      ok(!/FORGED/.test(line) || /\\r\\n|\\n|%0d%0a/i.test(line), `a forged line: ${JSON.stringify(line)}`);
      ok(!line.startsWith("2026-01-01"), `a line began with user input: ${JSON.stringify(line)}`);
    }
  }
  ok(logged.some((l) => l.includes("\\r\\n2026-01-01 app: FORGED")), "the input is still there, escaped");
});
