import { equal, match } from "node:assert/strict";
import { invalidScope, scopeAllows } from "./scopes.ts";

Deno.test("connect:* covers everything, connect:x:* its own family, others only themselves", () => {
  equal(scopeAllows("connect:*", "connect:proxy"), true);
  equal(scopeAllows("connect:actions:*", "connect:actions:*"), true);
  equal(scopeAllows("connect:triggers:*", "connect:deployed_triggers:read"), false);
  equal(scopeAllows("connect:accounts:read connect:accounts:write", "connect:accounts:write"), true);
  equal(scopeAllows("connect:accounts:read", "connect:accounts:write"), false);
  equal(scopeAllows("connect:accounts:read connect:accounts:write", "connect:actions:*"), false);
  equal(scopeAllows("", "connect:proxy"), false);
});

Deno.test("only documented scopes can be asked for; `*` is not one a Connect token may have", () => {
  equal(invalidScope("connect:accounts:read connect:proxy"), undefined);
  match(invalidScope("*") ?? "", /Unknown scope: \*/);
  match(invalidScope("connect:everything") ?? "", /Unknown scope/);
  match(invalidScope("  ") ?? "", /at least one/);
});
