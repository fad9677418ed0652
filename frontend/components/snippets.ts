/**
 * The code a developer would write for what is on screen (SDK v3 and
 * connect-react), complete enough to run as shown: every import is used, the
 * ids and values are the ones on screen, and option values are written
 * plainly (connect-react's `{__lv: {label, value}}` becomes the value, with
 * the label as a comment). Secret values are never copied in.
 */
import { displayValue, type PropSpec, unwrapOptions, type Values } from "../lib/form_values.ts";
import type { Snippet } from "./CodeView.tsx";

export type SnippetContext = {
  externalUserId: string;
  key: string;
  values: Values;
  props: PropSpec[];
  dynamicPropsId?: string;
};

const SERVER_CLIENT = `import { PipedreamClient } from "@pipedream/sdk";

const pd = new PipedreamClient({
  projectId: process.env.PIPEDREAM_PROJECT_ID!,
  projectEnvironment: "development", // or "production"
  clientId: process.env.PIPEDREAM_CLIENT_ID!,
  clientSecret: process.env.PIPEDREAM_CLIENT_SECRET!,
});`;

const BROWSER_CLIENT = (externalUserId: string) =>
  `const pd = createFrontendClient({
  externalUserId: ${JSON.stringify(externalUserId)}, // your signed-in user's id
  // Your endpoint mints a connect token for the signed-in user (see "Server").
  tokenCallback: async () => {
    const res = await fetch("/api/connect/token", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    const { token, expiresAt, connectLinkUrl } = await res.json();
    return { token, expiresAt: new Date(expiresAt), connectLinkUrl };
  },
});`;

export const connectSnippets = (app: string, externalUserId: string): Snippet[] => [
  {
    title: "Server",
    code: `${SERVER_CLIENT}

// POST /api/connect/token: the user id comes from YOUR session, never from the browser.
const { token, expiresAt, connectLinkUrl } = await pd.tokens.create({
  externalUserId: ${JSON.stringify(externalUserId)},
  allowedOrigins: ["https://your-app.example"],
  webhookUri: "https://your-app.example/webhooks/pipedream/connect",
});
console.log({ token, expiresAt, connectLinkUrl });`,
  },
  {
    title: "Browser",
    code: `import { createFrontendClient } from "@pipedream/sdk/browser";

${BROWSER_CLIENT(externalUserId)}

await pd.connectAccount({
  app: ${JSON.stringify(app)},
  onSuccess: ({ id }) => console.log("connected account", id),
  onError: (err) => console.error("could not connect", err.message),
});

// Or, without JavaScript, send the user to the Connect Link:
// location.assign(\`\${connectLinkUrl}&app=${app}\`);`,
  },
];

/** Configured props as code: plain values, labels as comments, secrets left for the reader to fill in. */
export function propsLiteral(values: Values, props: PropSpec[], indent = "  "): string {
  const entries = Object.entries(values).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return "{}";
  const lines = entries.map(([k, v]) => {
    const prop = props.find((p) => p.name === k);
    const key = /^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k);
    if (prop?.secret) return `${indent}  ${key}: "…", // secret: fill in`;
    const plain = unwrapOptions(v);
    const label = JSON.stringify(plain) !== JSON.stringify(v) ? displayValue(v) : "";
    const text = JSON.stringify(plain, null, 2).replace(/\n/g, `\n${indent}  `);
    return `${indent}  ${key}: ${text},${label && label !== String(plain) ? ` // ${label}` : ""}`;
  });
  return `{\n${lines.join("\n")}\n${indent}}`;
}

const dynamicLine = (id?: string) => id ? `\n  dynamicPropsId: ${JSON.stringify(id)},` : "";

export const actionSnippets = (c: SnippetContext): Snippet[] => [
  {
    title: "React",
    code: `import { ComponentFormContainer, FrontendClientProvider } from "@pipedream/connect-react";
import { createFrontendClient } from "@pipedream/sdk/browser";
import { useState } from "react";

${BROWSER_CLIENT(c.externalUserId)}

export function RunAction() {
  const [configuredProps, setConfiguredProps] = useState<Record<string, unknown>>({});
  // Props that reload others (reloadProps) get an id that the run must send back.
  const [dynamicPropsId, setDynamicPropsId] = useState<string>();
  const [sdkResponse, setSdkResponse] = useState<unknown>();
  return (
    <FrontendClientProvider client={pd}>
      <ComponentFormContainer
        externalUserId={${JSON.stringify(c.externalUserId)}}
        componentKey=${JSON.stringify(c.key)}
        configuredProps={configuredProps}
        onUpdateConfiguredProps={setConfiguredProps}
        onUpdateDynamicProps={(dp) => setDynamicPropsId(dp.id)}
        sdkResponse={sdkResponse} // shows the run's errors in the form
        onSubmit={async () => {
          const res = await fetch("/api/actions/run", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ actionId: ${JSON.stringify(c.key)}, configuredProps, dynamicPropsId }),
          });
          setSdkResponse(await res.json());
        }}
      />
    </FrontendClientProvider>
  );
}`,
  },
  {
    title: "Server",
    code: `${SERVER_CLIENT}

// POST /api/actions/run (the user id comes from your session)
const { exports, ret, os } = await pd.actions.run({
  id: ${JSON.stringify(c.key)},
  externalUserId: ${JSON.stringify(c.externalUserId)},
  configuredProps: ${propsLiteral(c.values, c.props)},${dynamicLine(c.dynamicPropsId)}
});
console.log(exports.$summary, ret, os);`,
  },
];

export const triggerSnippets = (c: SnippetContext): Snippet[] => [
  {
    title: "Server",
    code: `${SERVER_CLIENT}

// POST /api/triggers (the user id comes from your session)
const { data: deployed } = await pd.triggers.deploy({
  id: ${JSON.stringify(c.key)},
  externalUserId: ${JSON.stringify(c.externalUserId)},
  configuredProps: ${propsLiteral(c.values, c.props)},${dynamicLine(c.dynamicPropsId)}
  webhookUrl: "https://your-app.example/webhooks/pipedream/triggers",
});
// Keep this key with the deployment: every event it sends is signed with it.
console.log(deployed.id, deployed.webhookSigningKey);`,
  },
  {
    title: "Webhook",
    code: `// POST /webhooks/pipedream/triggers, in this repository's backend (Deno):
import { verifySignature } from "./backend/lib/webhook_format.ts";

export async function receive(req: Request, signingKey: string): Promise<Response> {
  const raw = new Uint8Array(await req.arrayBuffer());
  const check = await verifySignature(signingKey, req.headers, raw, Date.now());
  if (!check.ok) return new Response(check.reason, { status: 401 });
  const event = JSON.parse(new TextDecoder().decode(raw));
  console.log("event", event); // store it (once, by its id) before answering
  return new Response("ok");
}`,
  },
];

export function proxySnippet(
  { method, path, headers, body, accountId, externalUserId }: {
    method: string;
    path: string;
    headers: Record<string, string>;
    body?: unknown;
    accountId: string;
    externalUserId: string;
  },
): Snippet {
  // post, put and patch require a body; get and delete send none.
  const hasBody = method !== "GET" && method !== "DELETE";
  const headerText = Object.keys(headers).length
    ? `\n  headers: ${JSON.stringify(headers, null, 2).replace(/\n/g, "\n  ")},`
    : "";
  return {
    title: "Server",
    code: `${SERVER_CLIENT}

// POST /api/proxy: the account's credentials never reach the browser.
const response = await pd.proxy.${method.toLowerCase()}({
  url: ${JSON.stringify(path)},
  externalUserId: ${JSON.stringify(externalUserId)},
  accountId: ${JSON.stringify(accountId)},${headerText}${
      hasBody ? `\n  body: ${JSON.stringify(body ?? {}, null, 2).replace(/\n/g, "\n  ")},` : ""
    }
});
console.log(response);`,
  };
}
