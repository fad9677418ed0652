/**
 * The SDK method a recorded Pipedream call came from (`components.configureProp`
 * for `POST /v1/connect/{project}/components/configure`), so the call
 * inspector speaks the SDK's language. From the SDK's endpoint table
 * (shared/research: @pipedream/sdk 3.1.6).
 */
const RULES: Array<[string, RegExp, string | ((m: RegExpMatchArray) => string)]> = [
  ["POST", /^\/oauth\/token$/, "oauthTokens.create"],
  ["POST", /^\/tokens$/, "tokens.create"],
  ["GET", /^\/tokens\/[^/]+\/validate$/, "tokens.validate"],
  ["GET", /^\/accounts$/, "accounts.list"],
  ["POST", /^\/accounts$/, "accounts.create"],
  ["GET", /^\/accounts\/[^/]+$/, "accounts.retrieve"],
  ["DELETE", /^\/accounts\/[^/]+$/, "accounts.delete"],
  ["GET", /^\/apps$/, "apps.list"],
  ["GET", /^\/apps\/[^/]+$/, "apps.retrieve"],
  ["POST", /^\/actions\/run$/, "actions.run"],
  ["POST", /^\/triggers\/deploy$/, "triggers.deploy"],
  ["POST", /^\/(components|actions|triggers)\/configure$/, (m) => `${m[1]}.configureProp`],
  ["POST", /^\/(components|actions|triggers)\/props$/, (m) => `${m[1]}.reloadProps`],
  ["GET", /^\/(components|actions|triggers)$/, (m) => `${m[1]}.list`],
  ["GET", /^\/(components|actions|triggers)\/[^/]+$/, (m) => `${m[1]}.retrieve`],
  ["GET", /^\/deployed-triggers$/, "deployedTriggers.list"],
  ["GET", /^\/deployed-triggers\/[^/]+$/, "deployedTriggers.retrieve"],
  ["PUT", /^\/deployed-triggers\/[^/]+$/, "deployedTriggers.update"],
  ["DELETE", /^\/deployed-triggers\/[^/]+$/, "deployedTriggers.delete"],
  ["GET", /^\/deployed-triggers\/[^/]+\/events$/, "deployedTriggers.listEvents"],
  ["GET", /^\/deployed-triggers\/[^/]+\/webhooks$/, "deployedTriggers.listWebhooks"],
  ["PUT", /^\/deployed-triggers\/[^/]+\/webhooks$/, "deployedTriggers.updateWebhooks"],
  ["GET", /^\/webhook$/, "projectEnvironment.retrieve"],
  ["POST", /^\/webhook\/regenerate_signing_key$/, "projectEnvironment.regenerateSigningKey"],
];

export function sdkMethodOf(method: string, path: string): string {
  const p = path.split("?")[0]
    .replace(/^\/v1\/connect(?:\/proj_[^/]+)?(?=\/|$)/, "")
    .replace(/^\/v1(?=\/)/, "");
  if (/^\/proxy\//.test(p)) return `proxy.${method.toLowerCase()}`;
  for (const [m, re, name] of RULES) {
    const match = m === method.toUpperCase() ? p.match(re) : null;
    if (match) return typeof name === "string" ? name : name(match);
  }
  return `${method.toUpperCase()} ${p || "/"}`;
}
