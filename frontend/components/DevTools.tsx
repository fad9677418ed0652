/**
 * Developer tools: the SDK call inspector (every Pipedream call made for this
 * user, by the browser client and by the server, redacted) and a proxy
 * request builder that calls third-party APIs through the server.
 */
import { useEffect, useReducer, useState } from "react";
import type { AccountView, ProxyResponse, SdkCall } from "../../shared/api.ts";
import { api, messageOf } from "../lib/api.ts";
import { browserCalls, clearBrowserCalls, onBrowserCall } from "../lib/browser_calls.ts";
import { useAsync } from "../lib/use_async.ts";
import { CodeView, ErrorNote, Json, Spinner } from "./common.tsx";

type Row = SdkCall & { key: string; side: "browser" | "server" };

function Inspector() {
  const [, rerender] = useReducer((x: number) => x + 1, 0);
  const server = useAsync(() => api.sdkCalls().then((r) => r.data), []);
  const [filter, setFilter] = useState<"all" | "browser" | "server">("all");
  useEffect(() => onBrowserCall(rerender), []);
  useEffect(() => {
    const t = setInterval(server.reload, 3000);
    return () => clearInterval(t);
  }, [server.reload]);
  const rows: Row[] = [
    ...browserCalls().map((c) => ({ ...c, key: `b${c.id}`, side: "browser" as const })),
    ...(server.data ?? []).map((c) => ({ ...c, key: `s${c.id}`, side: "server" as const })),
  ].filter((r) => filter === "all" || r.side === filter).sort((a, b) => b.at.localeCompare(a.at));
  return (
    <section aria-labelledby="inspector-title" data-testid="inspector">
      <div className="card-head">
        <h3 id="inspector-title">SDK call inspector</h3>
        <div className="row-actions">
          <label>
            Show{" "}
            <select value={filter} onChange={(e) => setFilter(e.target.value as typeof filter)}>
              <option value="all">all calls</option>
              <option value="browser">browser client</option>
              <option value="server">server</option>
            </select>
          </label>
          <button
            type="button"
            className="small"
            onClick={async () => {
              clearBrowserCalls();
              await api.clearSdkCalls().catch(() => {});
              server.reload();
            }}
          >
            Clear
          </button>
        </div>
      </div>
      {server.error && <ErrorNote message={server.error} onRetry={server.reload} />}
      {rows.length === 0 ? <p className="muted">No Pipedream calls yet.</p> : (
        <ol className="calls">
          {rows.map((r) => (
            <li key={r.key} data-testid="sdk-call">
              <details>
                <summary>
                  <span className={`badge ${r.status < 400 ? "ok" : "bad"}`}>{r.status}</span>{" "}
                  <code>{r.method} {r.path}</code>{" "}
                  <span className="muted small-text">{r.side} · {r.durationMs} ms</span>
                </summary>
                {r.requestBody && <pre tabIndex={0}>{pretty(r.requestBody)}</pre>}
                {r.responseBody && <pre tabIndex={0}>{pretty(r.responseBody)}</pre>}
              </details>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/**
 * Full URLs, as the Connect proxy expects for apps with a fixed domain, and a
 * relative path for an app whose domain depends on the account
 * (reference/sandbox.md, "The Connect proxy").
 */
const EXAMPLES: Record<string, { method: string; path: string }> = {
  google_sheets: {
    method: "GET",
    path: "https://sheets.googleapis.com/v4/spreadsheets/ss_sales_2026/values/ws_leads",
  },
  slack: { method: "GET", path: "https://slack.com/api/conversations.list" },
  acme_crm: { method: "GET", path: "https://api.acme-crm.example/v1/records" },
  acme_desk: { method: "GET", path: "/api/v2/tickets" },
};

function ProxyBuilder({ accounts }: { accounts: AccountView[] }) {
  const [accountId, setAccountId] = useState(accounts[0]?.id ?? "");
  const account = accounts.find((a) => a.id === accountId);
  const example = EXAMPLES[account?.app?.nameSlug ?? ""] ?? { method: "GET", path: "/" };
  const [method, setMethod] = useState(example.method);
  const [path, setPath] = useState(example.path);
  const [headers, setHeaders] = useState("{}");
  const [body, setBody] = useState("");
  const [result, setResult] = useState<ProxyResponse>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!accountId && accounts[0]) setAccountId(accounts[0].id);
  }, [accounts, accountId]);

  const send = async () => {
    setError(undefined);
    setResult(undefined);
    let h: Record<string, string>, b: unknown;
    try {
      h = headers.trim() ? JSON.parse(headers) : {};
      b = body.trim() ? JSON.parse(body) : undefined;
    } catch {
      return setError("Headers and body must be JSON");
    }
    setBusy(true);
    try {
      setResult(
        await api.proxy({
          accountId,
          method: method as "GET",
          path,
          headers: h,
          ...(b !== undefined ? { body: b } : {}),
        }),
      );
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  if (accounts.length === 0) {
    return <p className="muted">Connect an account to send proxy requests with it.</p>;
  }
  return (
    <section aria-labelledby="proxy-title" data-testid="proxy-builder">
      <h3 id="proxy-title">Proxy request builder</h3>
      <div className="workbench">
        <form
          className="steps proxy-form"
          onSubmit={(e) => {
            e.preventDefault();
            send();
          }}
        >
          <label>
            Account
            <select
              value={accountId}
              onChange={(e) => {
                setAccountId(e.target.value);
                const ex = EXAMPLES[accounts.find((a) => a.id === e.target.value)?.app?.nameSlug ?? ""];
                if (ex) {
                  setMethod(ex.method);
                  setPath(ex.path);
                }
              }}
            >
              {accounts.map((a) => <option key={a.id} value={a.id}>{a.app?.name ?? a.id} · {a.id}</option>)}
            </select>
          </label>
          <div className="inline">
            <label>
              Method
              <select value={method} onChange={(e) => setMethod(e.target.value)}>
                {["GET", "POST", "PUT", "PATCH", "DELETE"].map((m) => <option key={m}>{m}</option>)}
              </select>
            </label>
            <label className="grow">
              Path
              <input value={path} onChange={(e) => setPath(e.target.value)} spellCheck={false} />
            </label>
          </div>
          <label>
            Headers (JSON)
            <textarea
              value={headers}
              onChange={(e) => setHeaders(e.target.value)}
              rows={2}
              spellCheck={false}
            />
          </label>
          {method !== "GET" && method !== "DELETE" && (
            <label>
              Body (JSON)
              <textarea value={body} onChange={(e) => setBody(e.target.value)} rows={4} spellCheck={false} />
            </label>
          )}
          <div className="actions">
            <button type="submit" className="primary" disabled={busy || !accountId}>
              {busy ? "Sending…" : "Send"}
            </button>
          </div>
          {busy && <Spinner label="Waiting for the API…" />}
          {error && <ErrorNote message={error} onRetry={send} />}
          {result && (
            <div data-testid="proxy-result">
              <p>
                Status <span className={`badge ${result.status < 400 ? "ok" : "bad"}`}>{result.status}</span>
              </p>
              <Json label="headers" value={result.headers} />
              <Json label="body" value={result.body} />
            </div>
          )}
        </form>
        <CodeView
          snippets={[{
            title: "Server",
            code: `// POST /api/proxy — credentials never reach the browser
const res = await pd.proxy.${method.toLowerCase()}({
  url: "${path}",
  externalUserId: session.userId,
  accountId: "${accountId}",${
              method !== "GET" && method !== "DELETE" ? `\n  body: ${body.trim() || "{}"},` : ""
            }
});`,
          }]}
        />
      </div>
    </section>
  );
}

export function DevTools({ accounts, onClose }: { accounts: AccountView[]; onClose: () => void }) {
  return (
    <aside className="devtools card" aria-labelledby="devtools-title">
      <div className="card-head">
        <h2 id="devtools-title">Developer tools</h2>
        <button type="button" className="small" onClick={onClose}>Close</button>
      </div>
      <Inspector />
      <ProxyBuilder accounts={accounts} />
    </aside>
  );
}
