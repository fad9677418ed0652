/** The benchmark's baseline page: React and connect-react's SelectApp, nothing else. */
import { FrontendClientProvider, SelectApp } from "@pipedream/connect-react";
import { createFrontendClient } from "@pipedream/sdk/browser";
import { createRoot } from "react-dom/client";

const client = createFrontendClient({
  externalUserId: "baseline",
  baseUrl: `${location.origin}/sandbox`,
  tokenCallback: () =>
    Promise.resolve({
      token: "ctok_baseline",
      expiresAt: new Date(Date.now() + 3600_000),
      connectLinkUrl: "",
    }),
});

createRoot(document.getElementById("root")!).render(
  <FrontendClientProvider client={client}>
    <button type="button">Connect an account</button>
    <SelectApp />
  </FrontendClientProvider>,
);
