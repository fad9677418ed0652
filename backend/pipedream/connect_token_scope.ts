/**
 * What a Connect token minted for a browser may do. A token without `scope`
 * gets `connect:*`, and the OpenAPI document lets a Connect token run actions,
 * deploy and delete triggers, use the proxy and delete the external user: a
 * user could then bypass this app's rate limits, trigger cap and run history
 * with the token from their own browser. So tokens carry only what the
 * browser needs (reference/security.md has the mapping and what remains):
 *
 * - connect-react: `apps.list`/`retrieve`, `components.list`/`retrieve`/
 *   `configureProp`/`reloadProps`, and `accounts.list` (the account picker);
 * - `connectAccount` (the Connect iframe, Connect Link): creating the account.
 *
 * Pipedream documents no scope for the app catalog or component discovery;
 * the sandbox lets every Connect token of the project use them. Should live
 * Pipedream refuse them to this scope, PIPEDREAM_CONNECT_TOKEN_SCOPE widens it
 * without a code change.
 */

/** The scopes Pipedream documents for Connect tokens (docs: connect/api-reference/authentication). */
export const CONNECT_TOKEN_SCOPES = [
  "connect:*",
  "connect:actions:*",
  "connect:triggers:*",
  "connect:accounts:read",
  "connect:accounts:write",
  "connect:deployed_triggers:read",
  "connect:deployed_triggers:write",
  "connect:users:read",
  "connect:users:write",
  "connect:projects:read",
  "connect:projects:write",
  "connect:usage:read",
  "connect:tokens:create",
  "connect:proxy",
  "connect:workflow:invoke",
] as const;

/** `accounts:read` for the account picker, `accounts:write` for connecting (and reconnecting) one. */
export const BROWSER_CONNECT_TOKEN_SCOPE = "connect:accounts:read connect:accounts:write";

/** Why a scope string is not one Pipedream accepts for a Connect token, or undefined when it is. */
export function invalidConnectTokenScope(scope: string): string | undefined {
  const parts = scope.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return "must name at least one scope";
  const unknown = parts.filter((p) => !(CONNECT_TOKEN_SCOPES as readonly string[]).includes(p));
  if (unknown.length) {
    return `${unknown.join(", ")} ${
      unknown.length > 1 ? "are not" : "is not a"
    } documented Connect token scope${
      unknown.length > 1 ? "s" : ""
    } (Connect tokens cannot have "*"; documented: ${CONNECT_TOKEN_SCOPES.join(" ")})`;
  }
  return undefined;
}
