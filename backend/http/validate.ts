/**
 * Input validation that answers in the API's error shape. Bodies are read as
 * text first, so malformed JSON is a 400 and not an exception; their size is
 * capped while they stream (body_limit.ts, at MAX_JSON_BODY_BYTES for /api).
 */
import type { Context } from "hono";
import type { z } from "zod";
import { hasForbiddenKey } from "../../shared/api.ts";
import { limitedStream, MAX_JSON_BODY_BYTES, tooLarge } from "./body_limit.ts";
import { ApiError } from "./errors.ts";

export function describeIssues(error: z.ZodError): string {
  return error.issues.slice(0, 5).map((i) => {
    const path = i.path.length ? i.path.map(String).join(".") : "body";
    return `${path}: ${i.message}`;
  }).join("; ");
}

export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  // Read with the cap, so this holds wherever the route is mounted (the app
  // caps every body in front of it too: body_limit.ts).
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > MAX_JSON_BODY_BYTES) throw tooLarge(MAX_JSON_BODY_BYTES);
  const body = c.req.raw.body;
  const text = body ? await new Response(limitedStream(body, { maxBytes: MAX_JSON_BODY_BYTES })).text() : "";
  let value: unknown;
  try {
    value = text === "" ? {} : JSON.parse(text);
  } catch {
    throw new ApiError(400, "bad_json", "Request body is not valid JSON");
  }
  // Checked on what JSON.parse returned, where `__proto__` is still an
  // ordinary own key and can be seen. Past this point it would not be: the
  // schema's parse drops it silently, and copying it by assignment
  // (`target[key] = value`, as a merge does) sets the copy's prototype
  // wherever Object.prototype.__proto__ exists (browsers, Node).
  if (hasForbiddenKey(value)) {
    throw new ApiError(
      400,
      "invalid_request",
      "Body must not contain __proto__, constructor or prototype keys, nor nest deeper than 32 levels",
    );
  }
  return parseOr400(schema, value);
}

export function parseOr400<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ApiError(400, "invalid_request", describeIssues(result.error));
  return result.data;
}
