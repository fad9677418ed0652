/**
 * Pipedream documents `202` with no body for `actions/run` and for the form's
 * `configure` and `props` calls ("accepted, result pending"), but the SDK
 * (3.1.6) parses every 2xx body as the full response and throws "Expected
 * object. Received undefined" on an empty one. Both the server's and the
 * browser's fetch pass such a response on as an empty JSON object with its
 * status kept, so the SDK returns `{}` and the caller can still see the 202.
 *
 * No `Deno` here: the browser uses it too.
 */
export async function emptyAcceptedAsObject(res: Response): Promise<Response> {
  if (res.status !== 202) return res;
  const text = await res.clone().text();
  if (text.trim() !== "") return res;
  const headers = new Headers(res.headers);
  headers.set("content-type", "application/json");
  headers.delete("content-length");
  return new Response("{}", { status: 202, statusText: res.statusText, headers });
}
