/**
 * Pipedream's published OpenAPI document as a response validator: find the
 * operation a request hit (either path form), then check the status and the
 * body against what the operation documents, with a real JSON-schema
 * validator (ajv). OpenAPI 3.0 schemas are converted to JSON Schema first:
 * `nullable`, `$ref`s into the document, `discriminator` (dropped; the union
 * it annotates still applies), and `oneOf` read as `anyOf`: the document
 * writes the SDK's undiscriminated unions as `oneOf` although some branches
 * overlap (`ConfiguredPropValueAny` accepts every value, so no configured prop
 * could match exactly one branch), and the SDK's serializers take the first
 * branch that fits. Keys a schema does not declare are allowed (no schema in
 * the document forbids them) and reported apart.
 */
import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { parse } from "yaml";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Schema = { [k: string]: unknown };

export type Operation = {
  operationId: string;
  method: string;
  /** The path template as documented, e.g. `/v1/connect/{project_id}/accounts`. */
  path: string;
  /** `OAuth2`, `ConnectToken`: the schemes any one of which the operation accepts (none: public). */
  security: string[];
  /** Whether the document marks `x-pd-environment` required. */
  requiresEnvironment: boolean;
  responses: Record<
    string,
    { content?: Record<string, { schema?: Schema }>; headers?: Record<string, Schema> }
  >;
};

export type CheckResult = {
  operation?: Operation;
  /** What the document does not allow: an unknown operation, status or media type, or a body its schema rejects. */
  failures: string[];
  /** Keys the schema does not declare (allowed, reported). */
  unknownKeys: string[];
  /** Things worth knowing that are not failures (an undocumented error status on a call meant to fail). */
  notes: string[];
};

const DOC_URL = new URL("./pipedream-openapi.yml", import.meta.url);
const ROOT_ID = "pipedream";

/** OpenAPI 3.0 schema → JSON Schema (draft-07, as ajv reads it). */
export function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== "object") return node;
  const src = node as Schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(src)) {
    if (
      k === "nullable" || k === "discriminator" || k === "example" || k === "examples" || k.startsWith("x-")
    ) {
      continue;
    }
    if (k === "$ref" && typeof v === "string") out.$ref = v.startsWith("#/") ? `${ROOT_ID}${v}` : v;
    else if (k === "properties" && v && typeof v === "object") {
      out.properties = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, toJsonSchema(s)]));
    } else if (k === "oneOf") out.anyOf = toJsonSchema(v);
    else if (["items", "additionalProperties", "not", "allOf", "anyOf"].includes(k)) {
      out[k] = typeof v === "object" ? toJsonSchema(v) : v;
    } else out[k] = v;
  }
  if (src.nullable !== true) return out;
  if (typeof out.type === "string") {
    out.type = [out.type, "null"];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    return out;
  }
  const constrained = ["$ref", "allOf", "anyOf", "oneOf", "enum", "type"].some((k) => k in out);
  return constrained ? { anyOf: [out, { type: "null" }] } : out;
}

function templateRegex(template: string): RegExp {
  const escaped = template.split(/(\{[^}]+\})/).map((part) =>
    part.startsWith("{") ? "([^/]+)" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
  ).join("");
  return new RegExp(`^${escaped}$`);
}

const PROJECT_SEGMENT = "/v1/connect/{project_id}/";

export class OpenApiContract {
  readonly operations: Operation[] = [];
  readonly version: string;
  #ajv: Ajv;
  #matchers: Array<{ re: RegExp; op: Operation; literalChars: number }> = [];
  #compiled = new Map<unknown, ValidateFunction>();
  #doc: Schema;

  constructor(doc: Schema) {
    this.#doc = doc;
    this.version = String((doc.info as Schema)?.version ?? "");
    this.#ajv = new Ajv({ strict: false, allErrors: true });
    addFormats.default(this.#ajv);
    const schemas = ((doc.components as Schema)?.schemas ?? {}) as Schema;
    const converted = Object.fromEntries(Object.entries(schemas).map(([name, s]) => [name, toJsonSchema(s)]));
    this.#ajv.addSchema({ $id: ROOT_ID, components: { schemas: converted } });
    for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Schema>)) {
      const shared = (item.parameters ?? []) as Schema[];
      for (const [method, raw] of Object.entries(item)) {
        if (method === "parameters") continue;
        const op = raw as Schema;
        const params = [...shared, ...((op.parameters ?? []) as Schema[])];
        const security = ((op.security ?? doc.security ?? []) as Array<Record<string, unknown>>)
          .flatMap((s) => Object.keys(s));
        const operation: Operation = {
          operationId: String(op.operationId),
          method: method.toUpperCase(),
          path,
          security,
          requiresEnvironment: params.some((p) => p.name === "x-pd-environment" && p.required === true),
          responses: (op.responses ?? {}) as Operation["responses"],
        };
        this.operations.push(operation);
        // The browser SDK calls project routes without the project segment.
        const forms = path.startsWith(PROJECT_SEGMENT)
          ? [path, path.replace(PROJECT_SEGMENT, "/v1/connect/")]
          : [path];
        for (const form of forms) {
          this.#matchers.push({
            re: templateRegex(form),
            op: operation,
            literalChars: form.replace(/\{[^}]+\}/g, "").length,
          });
        }
      }
    }
    // A literal segment beats a parameter (`/projects/info` is not `/projects/{project_id}`).
    this.#matchers.sort((a, b) => b.literalChars - a.literalChars);
  }

  static async load(url: URL = DOC_URL): Promise<OpenApiContract> {
    return new OpenApiContract(parse(await Deno.readTextFile(url)) as Schema);
  }

  /** The operation a request reaches; repeated slashes (the browser SDK's `//proxy`) collapse. */
  operation(method: string, path: string): Operation | undefined {
    const clean = path.split("?")[0].replace(/\/{2,}/g, "/");
    return this.#matchers.find((m) => m.op.method === method.toUpperCase() && m.re.test(clean))?.op;
  }

  /** A named component schema, for checks outside an operation (`ErrorResponse`). */
  schema(name: string): Schema | undefined {
    return ((this.#doc.components as Schema)?.schemas as Schema)?.[name] as Schema | undefined;
  }

  /**
   * Checks one response. `expectError` marks a call meant to be refused: an
   * error status the operation does not list is then a note, as long as its
   * body has Pipedream's documented error shape (`ErrorResponse`).
   * `relaysUpstream` marks a proxy call: the proxy guide documents that it
   * returns the upstream API's response, whatever its status, which the
   * document's proxy operations (200 only) leave out; such a status is a note.
   */
  check(
    req: { method: string; path: string; expectError?: boolean; relaysUpstream?: boolean },
    res: { status: number; contentType?: string | null; body: unknown; headers?: Headers },
  ): CheckResult {
    const result: CheckResult = { failures: [], unknownKeys: [], notes: [] };
    const op = this.operation(req.method, req.path);
    if (!op) {
      result.failures.push(`no operation in the document for ${req.method} ${req.path}`);
      return result;
    }
    result.operation = op;
    const documented = op.responses[String(res.status)] ?? op.responses.default;
    if (!documented) {
      if (req.relaysUpstream && res.status !== 429) {
        result.notes.push(`relayed the upstream status ${res.status}`);
      } else if (req.expectError && res.status >= 400) {
        result.notes.push(`status ${res.status} is not listed for ${op.operationId}`);
        this.#validate({ $ref: `${ROOT_ID}#/components/schemas/ErrorResponse` }, res.body, result, "body");
      } else {
        const allowed = Object.keys(op.responses).join(", ");
        result.failures.push(
          `status ${res.status} is not documented for ${op.operationId} (documented: ${allowed})`,
        );
      }
      return result;
    }
    if (req.expectError && res.status < 400) result.failures.push(`expected a refusal, got ${res.status}`);
    this.#checkHeaders(documented.headers, res.headers, result);
    const content = documented.content;
    const empty = res.body === undefined || res.body === "" || res.body === null && res.status === 204;
    if (!content) {
      if (!empty) {
        result.failures.push(`status ${res.status} of ${op.operationId} documents no body, got one`);
      }
      return result;
    }
    const type = (res.contentType ?? "").split(";")[0].trim().toLowerCase();
    const mediaType = content[type] ? type : content["*/*"] ? "*/*" : undefined;
    if (!mediaType) {
      result.failures.push(
        `content-type "${
          type || "(none)"
        }" is not documented for ${op.operationId} ${res.status} (documented: ${
          Object.keys(content).join(", ")
        })`,
      );
      return result;
    }
    const schema = content[mediaType].schema;
    if (schema) this.#validate(toJsonSchema(schema), res.body, result, "body");
    return result;
  }

  #checkHeaders(
    documented: Record<string, Schema> | undefined,
    headers: Headers | undefined,
    result: CheckResult,
  ) {
    if (!documented || !headers) return;
    for (const [name, spec] of Object.entries(documented)) {
      const value = headers.get(name);
      if (value === null) {
        result.notes.push(`documented header ${name} is absent`);
        continue;
      }
      const type = (spec.schema as Schema | undefined)?.type;
      if (type === "integer" && !/^-?\d+$/.test(value)) {
        result.failures.push(`header ${name}: "${value}" is not an integer`);
      }
    }
  }

  #validator(schema: unknown): ValidateFunction {
    let fn = this.#compiled.get(schema);
    if (!fn) {
      fn = this.#ajv.compile(schema as Schema);
      this.#compiled.set(schema, fn);
    }
    return fn;
  }

  #validate(schema: unknown, data: unknown, result: CheckResult, where: string) {
    const validate = this.#validator(schema);
    if (!validate(data)) {
      for (const e of validate.errors ?? []) {
        result.failures.push(`${where}${e.instancePath || ""}: ${e.message}${paramsText(e.params)}`);
      }
      return;
    }
    this.#unknownKeys(schema as Schema, data as Json, where, result.unknownKeys, 0);
  }

  /** Resolves a `pipedream#/…` reference to the converted schema it names. */
  #resolve(schema: Schema): Schema {
    let s = schema;
    for (let i = 0; i < 20 && typeof s.$ref === "string"; i++) {
      s = (this.#ajv.getSchema(s.$ref)?.schema ?? {}) as Schema;
    }
    return s;
  }

  #matches(schema: Schema, data: unknown): boolean {
    return Boolean(this.#validator(schema)(data));
  }

  /** The `anyOf`/`oneOf` branch the data matches (the first, for `anyOf`). */
  #branch(s: Schema, data: unknown): Schema | undefined {
    return ((s.anyOf ?? []) as Schema[]).find((b) => this.#matches(b, data));
  }

  /** Object keys the (valid) data has that the schema branch it matched does not declare. */
  #unknownKeys(schema: Schema, data: Json, where: string, out: string[], depth: number): void {
    if (depth > 40 || data === null || typeof data !== "object") return;
    const s = this.#resolve(schema);
    if (Array.isArray(data)) {
      const items = (s.items ?? this.#branch(s, data)?.items) as Schema | undefined;
      if (items) data.forEach((v, i) => this.#unknownKeys(items, v, `${where}/${i}`, out, depth + 1));
      return;
    }
    const { declared, open } = this.#declared(s, data);
    for (const [k, v] of Object.entries(data)) {
      const prop = declared.get(k);
      if (prop) this.#unknownKeys(prop, v, `${where}/${k}`, out, depth + 1);
      else if (open && typeof open === "object") this.#unknownKeys(open, v, `${where}/${k}`, out, depth + 1);
      else if (!open) out.push(`${where}/${k}`);
    }
  }

  /**
   * Properties a schema declares for this data, through `allOf` and the
   * matching `anyOf`/`oneOf` branch; `open` when it allows any key (no
   * declared properties, or `additionalProperties` set).
   */
  #declared(
    schema: Schema,
    data: unknown,
    depth = 0,
  ): { declared: Map<string, Schema>; open: boolean | Schema } {
    const s = this.#resolve(schema);
    const declared = new Map<string, Schema>();
    for (const [k, v] of Object.entries((s.properties ?? {}) as Record<string, Schema>)) declared.set(k, v);
    let open: boolean | Schema = s.additionalProperties === true
      ? true
      : (s.additionalProperties && typeof s.additionalProperties === "object"
        ? s.additionalProperties as Schema
        : false);
    const parts = [...((s.allOf ?? []) as Schema[])];
    const branch = this.#branch(s, data);
    if (branch) parts.push(branch);
    let constrained = declared.size > 0 || s.additionalProperties === false;
    for (const part of depth < 20 ? parts : []) {
      const sub = this.#declared(part, data, depth + 1);
      for (const [k, v] of sub.declared) if (!declared.has(k)) declared.set(k, v);
      if (sub.open === true || (typeof sub.open === "object" && !open)) open = sub.open;
      if (sub.declared.size > 0) constrained = true;
    }
    return { declared, open: constrained ? open : true };
  }
}

function paramsText(params: Record<string, unknown>): string {
  const shown = Object.entries(params).filter(([, v]) => v !== undefined);
  return shown.length ? ` (${shown.map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(", ")})` : "";
}
