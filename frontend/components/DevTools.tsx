/**
 * Developer tools, docked at the bottom or the side of the page (resizable,
 * collapsible, remembered): the SDK call inspector (every Pipedream call made
 * for this user, by the browser client and by the server, redacted) and a
 * proxy request builder that calls third-party APIs through the server.
 */
import {
  type KeyboardEvent,
  type PointerEvent,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
} from "react";
import type { AccountView, ProxyResponse } from "../../shared/api.ts";
import { api, messageOf } from "../lib/api.ts";
import {
  type BrowserCall,
  browserCalls,
  browserCallsVersion,
  clearBrowserCalls,
  onBrowserCall,
} from "../lib/browser_calls.ts";
import { sdkMethodOf } from "../lib/sdk_methods.ts";
import { useAsync } from "../lib/use_async.ts";
import { CodeView } from "./CodeView.tsx";
import { ErrorNote, Json, Spinner } from "./common.tsx";
import { proxySnippet } from "./snippets.ts";

type Dock = "bottom" | "side";
type Layout = { dock: Dock; size: number; collapsed: boolean };
const LAYOUT_KEY = "pdc-devtools";
const MIN = 160;
/** The list shows at most this many calls (the newest); the filter searches all that are kept. */
export const MAX_ROWS = 200;

function storedLayout(): Layout {
  try {
    const v = JSON.parse(localStorage.getItem(LAYOUT_KEY) ?? "{}");
    return {
      dock: v.dock === "side" ? "side" : "bottom",
      size: typeof v.size === "number" ? v.size : 320,
      collapsed: v.collapsed === true,
    };
  } catch {
    return { dock: "bottom", size: 320, collapsed: false };
  }
}

const maxSize = (dock: Dock) => Math.round((dock === "bottom" ? innerHeight : innerWidth) * 0.7);
const clamp = (size: number, dock: Dock) => Math.max(MIN, Math.min(maxSize(dock), size));

export function DevToolsPanel(
  { accounts, externalUserId, onClose }: {
    accounts: AccountView[];
    externalUserId: string;
    onClose: () => void;
  },
) {
  const [layout, setLayout] = useState(storedLayout);
  const [tab, setTab] = useState<"calls" | "proxy">("calls");
  const narrow = matchMedia("(max-width: 760px)").matches;
  const dock: Dock = narrow ? "bottom" : layout.dock;
  const size = clamp(layout.size, dock);
  const update = (next: Partial<Layout>) => {
    const merged = { ...layout, ...next };
    setLayout(merged);
    try {
      localStorage.setItem(LAYOUT_KEY, JSON.stringify(merged));
    } catch { /* storage disabled */ }
  };

  // The page makes room for the panel, so nothing hides behind it.
  useEffect(() => {
    const root = document.documentElement.style;
    root.setProperty("--devtools-bottom", dock === "bottom" ? `${layout.collapsed ? 44 : size}px` : "0px");
    root.setProperty("--devtools-side", dock === "side" && !layout.collapsed ? `${size}px` : "0px");
    return () => {
      root.removeProperty("--devtools-bottom");
      root.removeProperty("--devtools-side");
    };
  }, [dock, size, layout.collapsed]);

  const drag = (e: PointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    const handle = e.currentTarget;
    handle.setPointerCapture(e.pointerId);
    const move = (ev: globalThis.PointerEvent) =>
      update({ size: clamp(dock === "bottom" ? innerHeight - ev.clientY : innerWidth - ev.clientX, dock) });
    const up = () => {
      handle.removeEventListener("pointermove", move);
      handle.removeEventListener("pointerup", up);
    };
    handle.addEventListener("pointermove", move);
    handle.addEventListener("pointerup", up);
  };
  const keyResize = (e: KeyboardEvent) => {
    const grow: Record<string, number> = dock === "bottom"
      ? { ArrowUp: 1, ArrowDown: -1 }
      : { ArrowLeft: 1, ArrowRight: -1 };
    const step = grow[e.key];
    if (!step) return;
    e.preventDefault();
    update({ size: clamp(size + step * 32, dock) });
  };

  return (
    <aside
      id="devtools"
      className={`devtools-panel dock-${dock}${layout.collapsed ? " collapsed" : ""}`}
      style={layout.collapsed ? undefined : dock === "bottom" ? { height: size } : { width: size }}
      aria-labelledby="devtools-title"
      data-testid="devtools"
    >
      {!layout.collapsed && (
        <div
          className="devtools-resize"
          role="separator"
          aria-orientation={dock === "bottom" ? "horizontal" : "vertical"}
          aria-label="Resize developer tools"
          aria-valuenow={size}
          aria-valuemin={MIN}
          aria-valuemax={maxSize(dock)}
          tabIndex={0}
          onPointerDown={drag}
          onKeyDown={keyResize}
        />
      )}
      <div className="devtools-head">
        <h2 id="devtools-title">Developer tools</h2>
        <div className="devtools-tabs" role="tablist" aria-label="Developer tools">
          {(["calls", "proxy"] as const).map((t) => (
            <button
              key={t}
              type="button"
              role="tab"
              id={`devtools-tab-${t}`}
              aria-selected={tab === t}
              aria-controls="devtools-body"
              className={tab === t ? "active" : ""}
              onClick={() => {
                setTab(t);
                if (layout.collapsed) update({ collapsed: false });
              }}
            >
              {t === "calls" ? "SDK calls" : "Proxy"}
            </button>
          ))}
        </div>
        <span className="muted small-text devtools-user">
          external user id <code>{externalUserId}</code>
        </span>
        <div className="row-actions">
          {!narrow && (
            <button
              type="button"
              className="small"
              onClick={() => update({ dock: layout.dock === "bottom" ? "side" : "bottom" })}
            >
              {layout.dock === "bottom" ? "Dock to the side" : "Dock to the bottom"}
            </button>
          )}
          <button
            type="button"
            className="small"
            aria-expanded={!layout.collapsed}
            aria-controls="devtools-body"
            onClick={() => update({ collapsed: !layout.collapsed })}
          >
            {layout.collapsed ? "Expand" : "Collapse"}
          </button>
          <button type="button" className="small" onClick={onClose}>Close</button>
        </div>
      </div>
      <div
        id="devtools-body"
        className="devtools-body"
        role="tabpanel"
        aria-labelledby={`devtools-tab-${tab}`}
        hidden={layout.collapsed}
      >
        {tab === "calls"
          ? <Inspector live={!layout.collapsed} />
          : <ProxyBuilder accounts={accounts} externalUserId={externalUserId} />}
      </div>
    </aside>
  );
}

type Row = BrowserCall & { key: string; side: "browser" | "server"; sdk: string };

function Inspector({ live }: { live: boolean }) {
  useSyncExternalStore(onBrowserCall, browserCallsVersion);
  const server = useAsync(() => api.sdkCalls().then((r) => r.data), []);
  const [side, setSide] = useState<"all" | "browser" | "server">("all");
  const [query, setQuery] = useState("");
  useEffect(() => {
    if (!live) return;
    const t = setInterval(server.reload, 3000);
    return () => clearInterval(t);
  }, [server.reload, live]);
  const all: Row[] = [
    ...browserCalls().map((c) => ({
      ...c,
      key: `b${c.id}`,
      side: "browser" as const,
      sdk: sdkMethodOf(c.method, c.path),
    })),
    ...(server.data ?? []).map((c) => ({
      ...c,
      key: `s${c.id}`,
      side: "server" as const,
      sdk: sdkMethodOf(c.method, c.path),
    })),
  ].sort((a, b) => b.at.localeCompare(a.at));
  const q = query.trim().toLowerCase();
  const matching = all.filter((r) =>
    (side === "all" || r.side === side) &&
    (!q || `${r.sdk} ${r.method} ${r.path} ${r.status}`.toLowerCase().includes(q))
  );
  const rows = matching.slice(0, MAX_ROWS);
  return (
    <section aria-label="SDK calls" data-testid="inspector">
      <div className="inspector-tools">
        <label className="inline-label">
          Filter
          <input
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            placeholder="configureProp, 404, /accounts…"
          />
        </label>
        <label className="inline-label">
          Made by
          <select value={side} onChange={(e) => setSide(e.target.value as typeof side)}>
            <option value="all">browser and server</option>
            <option value="browser">the browser client</option>
            <option value="server">the server</option>
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
        <span className="muted small-text" role="status">
          {matching.length > rows.length
            ? `Newest ${rows.length} of ${matching.length} calls`
            : `${rows.length} call${rows.length === 1 ? "" : "s"}`}
        </span>
      </div>
      {server.error && <ErrorNote message={server.error} onRetry={server.reload} />}
      {rows.length === 0
        ? <p className="muted">{all.length ? "No call matches." : "No Pipedream calls yet."}</p>
        : (
          <ol className="calls">
            {rows.map((r) => (
              <li key={r.key} data-testid="sdk-call">
                <details>
                  <summary>
                    <time className="muted small-text" dateTime={r.at}>{clock(r.at)}</time>
                    <strong className="sdk-method">{r.sdk}</strong>
                    <code className="call-path">{r.method} {r.path}</code>
                    {r.pending
                      ? <span className="badge pending">pending…</span>
                      : (
                        <span className={`badge ${r.status > 0 && r.status < 400 ? "ok" : "bad"}`}>
                          {r.status || "failed"}
                        </span>
                      )}
                    <span className="muted small-text">
                      {r.side} · {r.pending ? "…" : `${r.durationMs} ms`}
                    </span>
                  </summary>
                  <CallBody label="Request" text={r.requestBody} empty="No request body." />
                  <CallBody
                    label="Response"
                    text={r.responseBody}
                    empty={r.pending ? "Waiting for the answer…" : "No response body."}
                  />
                </details>
              </li>
            ))}
          </ol>
        )}
    </section>
  );
}

function CallBody({ label, text, empty }: { label: string; text?: string; empty: string }) {
  const pretty = useMemo(() => {
    if (!text) return undefined;
    try {
      return JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      return text;
    }
  }, [text]);
  return (
    <figure className="call-body">
      <figcaption>{label}</figcaption>
      {pretty
        ? <pre tabIndex={0} aria-label={label}>{pretty}</pre>
        : <p className="muted small-text">{empty}</p>}
    </figure>
  );
}

const clock = (iso: string) =>
  new Date(iso).toLocaleTimeString(undefined, {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    fractionalSecondDigits: 3,
    hour12: false,
  });

/**
 * Full URLs for apps with a fixed domain (the Connect proxy takes a path
 * relative to the app's base too, but a full URL says where the request
 * goes), and a relative path for an app whose domain depends on the account
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

const HAS_BODY = new Set(["POST", "PUT", "PATCH"]);

function ProxyBuilder({ accounts, externalUserId }: { accounts: AccountView[]; externalUserId: string }) {
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

  const parsed = (() => {
    try {
      const h = headers.trim() ? JSON.parse(headers) : {};
      // A body typed for POST stays in its box but is never sent with GET or DELETE.
      const b = HAS_BODY.has(method) && body.trim() ? JSON.parse(body) : undefined;
      return { headers: h as Record<string, string>, body: b as unknown };
    } catch {
      return undefined;
    }
  })();

  const send = async () => {
    setError(undefined);
    setResult(undefined);
    if (!parsed) return setError("Headers and body must be JSON.");
    setBusy(true);
    try {
      setResult(
        await api.proxy({
          accountId,
          method: method as "GET",
          path,
          headers: parsed.headers,
          ...(parsed.body !== undefined ? { body: parsed.body } : {}),
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
    <section aria-label="Proxy request builder" data-testid="proxy-builder">
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
              {accounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.app?.name ?? "App"} · {a.name ?? "account"} · {a.id}
                </option>
              ))}
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
          {HAS_BODY.has(method) && (
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
          label="Code for this request"
          snippets={[proxySnippet({
            method,
            path,
            headers: parsed?.headers ?? {},
            body: parsed?.body,
            accountId,
            externalUserId,
          })]}
        />
      </div>
    </section>
  );
}
