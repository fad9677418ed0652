/** The code a developer would write for what is on screen (SDK v3 and connect-react). */

export const connectSnippets = (app: string) => [
  {
    title: "Server",
    code: `import { PipedreamClient } from "@pipedream/sdk";

const pd = new PipedreamClient({
  projectId: process.env.PIPEDREAM_PROJECT_ID,
  projectEnvironment: process.env.PIPEDREAM_PROJECT_ENVIRONMENT,
  clientId: process.env.PIPEDREAM_CLIENT_ID,
  clientSecret: process.env.PIPEDREAM_CLIENT_SECRET,
});

// POST /api/connect/token — the user id comes from YOUR session, never the browser
const { token, expiresAt, connectLinkUrl } = await pd.tokens.create({
  externalUserId: session.userId,
  allowedOrigins: ["https://your-app.example"],
  webhookUri: "https://your-app.example/webhooks/pipedream/connect",
});`,
  },
  {
    title: "Browser",
    code: `import { createFrontendClient } from "@pipedream/sdk/browser";

const pd = createFrontendClient({
  externalUserId: session.userId,
  // Your endpoint mints the token for the signed-in user (see the server tab).
  tokenCallback: async () => {
    const res = await fetch("/api/connect/token", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    const { token, expiresAt, connectLinkUrl } = await res.json();
    return { token, expiresAt: new Date(expiresAt), connectLinkUrl };
  },
});

pd.connectAccount({
  app: "${app}",
  onSuccess: ({ id }) => console.log("connected", id),
});

// or, without JavaScript: redirect to \`\${connectLinkUrl}&app=${app}\``,
  },
];

export const actionSnippets = (key: string, props: unknown) => [
  {
    title: "React",
    code:
      `import { FrontendClientProvider, SelectApp, SelectComponent, ComponentForm } from "@pipedream/connect-react";

<FrontendClientProvider client={pd}>
  <ComponentForm
    externalUserId={session.userId}
    component={component /* ${key} */}
    configuredProps={props}
    onUpdateConfiguredProps={setProps}
    onSubmit={() => fetch("/api/actions/run", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ actionId: "${key}", configuredProps: props }),
    })}
  />
</FrontendClientProvider>`,
  },
  {
    title: "Server",
    code: `// POST /api/actions/run
const { exports, ret, os } = await pd.actions.run({
  id: "${key}",
  externalUserId: session.userId,
  configuredProps: ${JSON.stringify(props ?? {}, null, 2).replace(/\n/g, "\n  ")},
});`,
  },
];

export const triggerSnippets = (key: string, props: unknown) => [
  {
    title: "Server",
    code: `// POST /api/triggers
const { data: deployed } = await pd.triggers.deploy({
  id: "${key}",
  externalUserId: session.userId,
  configuredProps: ${JSON.stringify(props ?? {}, null, 2).replace(/\n/g, "\n  ")},
  webhookUrl: "https://your-app.example/webhooks/pipedream/triggers",
});
// keep deployed.webhookSigningKey: every event is signed with it`,
  },
  {
    title: "Webhook",
    code: `// POST /webhooks/pipedream/triggers
const raw = new Uint8Array(await req.arrayBuffer());
const ok = await verifySignature(deployment.signingKey, req.headers, raw, Date.now());
if (!ok.ok) return new Response("unauthorized", { status: 401 });
await storeOnce(JSON.parse(new TextDecoder().decode(raw)));   // commit first…
return new Response("ok");                                      // …then acknowledge`,
  },
];
