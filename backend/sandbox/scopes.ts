/**
 * What a Connect token's `scope` lets it call. Pipedream documents the scopes
 * by a description each (docs: connect/api-reference/authentication, "Connect
 * token scopes"; the OpenAPI document's OAuth2 scopes) and, per operation,
 * only whether a Connect token is accepted at all (`security`). The mapping
 * below reads the descriptions; reference/sandbox.md lists it with sources.
 *
 * - `connect:*` covers every Connect operation; `connect:x:*` every `connect:x:…`.
 * - The app catalog and component discovery/configuration name no scope:
 *   any Connect token of the project may call them (our choice: connect-react
 *   needs them and no documented scope describes them).
 */
import { CONNECT_TOKEN_SCOPES } from "../pipedream/connect_token_scope.ts";

export type Scope = (typeof CONNECT_TOKEN_SCOPES)[number];

/** Whether a granted (space-separated) scope covers a required one. */
export function scopeAllows(granted: string, required: Scope): boolean {
  return granted.split(/\s+/).filter(Boolean).some((g) =>
    g === required || (g.endsWith(":*") && required.startsWith(g.slice(0, -1)))
  );
}

/** Why a requested scope is refused at token creation, or undefined. */
export function invalidScope(scope: string): string | undefined {
  const unknown = scope.split(/\s+/).filter(Boolean).filter((s) =>
    !(CONNECT_TOKEN_SCOPES as readonly string[]).includes(s)
  );
  if (scope.trim() === "") return "scope must name at least one scope";
  return unknown.length ? `Unknown scope: ${unknown.join(" ")}` : undefined;
}
