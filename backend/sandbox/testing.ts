/**
 * For tests elsewhere: create an account over HTTP exactly as the Connect
 * page does when the user approves (or denies), without a browser.
 */
export async function connectAccountViaSandbox(
  baseUrl: string,
  token: string,
  app: string,
  opts: { apiKey?: string; deny?: boolean } = {},
): Promise<{ accountId?: string; error?: string }> {
  const validate = await fetch(
    `${baseUrl}/v1/connect/tokens/${encodeURIComponent(token)}/validate?app_id=${app}`,
  );
  const info = await validate.json();
  if (!info.success) return { error: info.error };
  const res = await fetch(`${baseUrl}/_static/connect/authorize`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      token,
      app,
      decision: opts.deny ? "deny" : "approve",
      ...(opts.apiKey ? { fields: { api_key: opts.apiKey } } : {}),
    }),
  });
  const data = await res.json();
  return res.ok ? { accountId: data.accountId } : { error: data.error };
}
