/**
 * Mint a connect token for a user: what your backend does before the browser
 * opens Pipedream's Connect dialog. Run: deno run -A scratchpad/mint_token.ts
 */
import { externalUserId, pd, print } from "./client.ts";

const token = await pd.tokens.create({
  externalUserId,
  // The browser origins allowed to use this token.
  allowedOrigins: [Deno.env.get("APP_URL") ?? "http://localhost:8000"],
});

print("token", { token: token.token, expiresAt: token.expiresAt, connectLinkUrl: token.connectLinkUrl });
console.log(`Open this to connect Google Sheets: ${token.connectLinkUrl}&app=google_sheets`);
