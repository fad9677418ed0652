/**
 * The browser's Pipedream client, from what /api/session says: in sandbox
 * mode it talks to /sandbox and opens the sandbox's Connect page; in live
 * mode, to Pipedream. This is the one place that knows the difference.
 */
import { createFrontendClient, type PipedreamClient } from "@pipedream/sdk/browser";
import type { SessionResponse } from "../../shared/api.ts";
import { api } from "./api.ts";
import { recordBrowserCalls } from "./browser_calls.ts";

export function createPipedream(session: SessionResponse): PipedreamClient {
  // A connection spends its token; the SDK asks for a new one right after,
  // and the server must then mint instead of reusing its cached token.
  let spent = false;
  recordBrowserCalls(session.pipedream.baseUrl ?? "https://api.pipedream.com");
  const client = createFrontendClient({
    externalUserId: session.externalUserId,
    projectEnvironment: session.pipedream.projectEnvironment,
    ...(session.pipedream.baseUrl ? { baseUrl: session.pipedream.baseUrl } : {}),
    tokenCallback: async () => {
      const t = await api.connectToken(spent);
      spent = false;
      return { token: t.token, expiresAt: new Date(t.expiresAt), connectLinkUrl: t.connectLinkUrl };
    },
  });
  if (session.mode === "sandbox" && session.pipedream.baseUrl) {
    // The SDK builds https://{frontendHost}/_static/connect.html; the sandbox
    // serves its Connect page under its own base URL (plain http locally).
    (client as unknown as { iframeUrl: string }).iframeUrl =
      `${session.pipedream.baseUrl}/_static/connect.html`;
  }
  const connect = client.connectAccount.bind(client);
  client.connectAccount = (opts) => {
    spent = true;
    return connect(opts);
  };
  return client;
}
