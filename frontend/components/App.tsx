/** The whole app: connect accounts, run actions, deploy triggers and watch their events. */
import { lazy, Suspense, useMemo, useState } from "react";
import type { SessionResponse } from "../../shared/api.ts";
import { api } from "../lib/api.ts";
import { useEventStream } from "../lib/event_stream.ts";
import { createPipedream } from "../lib/pipedream.ts";
import { type ThemeChoice, useTheme } from "../lib/theme.ts";
import { useUrlState } from "../lib/url_state.ts";
import { useAsync } from "../lib/use_async.ts";
import { AccountsPanel } from "./AccountsPanel.tsx";
import { ErrorNote, Spinner } from "./common.tsx";
import { EventFeed } from "./EventFeed.tsx";
import { ForgetMe } from "./ForgetMe.tsx";
import { RunHistory } from "./RunHistory.tsx";

const workbench = () => import("./Workbench.tsx");
const ConnectPicker = lazy(() => workbench().then((m) => ({ default: m.ConnectPicker })));
const ActionWorkbench = lazy(() => workbench().then((m) => ({ default: m.ActionWorkbench })));
const TriggerWorkbench = lazy(() => workbench().then((m) => ({ default: m.TriggerWorkbench })));
const DevTools = lazy(() => import("./DevTools.tsx").then((m) => ({ default: m.DevTools })));

const TABS = [
  { id: "accounts", label: "Accounts" },
  { id: "run", label: "Run an action" },
  { id: "triggers", label: "Triggers" },
] as const;

function returnNotice(): { ok: boolean; text: string } | undefined {
  const q = new URLSearchParams(location.search);
  if (q.get("connect") === "success") {
    return { ok: true, text: "Account connected through the Connect Link." };
  }
  if (q.get("connect") === "error") {
    return { ok: false, text: `Connection failed: ${q.get("error") ?? "unknown error"}` };
  }
  return undefined;
}

export function App({ session }: { session: SessionResponse }) {
  const client = useMemo(() => createPipedream(session), [session]);
  const [url, setUrl] = useUrlState();
  const [theme, themeChoice, setTheme] = useTheme();
  const [notice, setNotice] = useState(returnNotice);
  const [picking, setPicking] = useState(url.tab === "accounts" && Boolean(url.app));
  const [devtools, setDevtools] = useState(false);
  const [forgetting, setForgetting] = useState(false);
  const accounts = useAsync(() => api.accounts().then((r) => r.data), []);
  const runs = useAsync(() => api.runs().then((r) => r.data), []);
  const feed = useEventStream((n) => {
    if (n.type === "CONNECTION_SUCCESS") accounts.reload();
    else if (n.type === "CONNECTION_ERROR") {
      setNotice({ ok: false, text: `A connection failed: ${n.error ?? ""}` });
    }
  });
  const say = (text?: string) => {
    accounts.reload();
    if (text) setNotice({ ok: true, text });
  };

  const workbenchProps = {
    client,
    theme,
    externalUserId: session.externalUserId,
    app: url.app,
    componentKey: url.component,
    onSelect: (app?: string, component?: string) => setUrl({ app, component }),
  };

  return (
    <div className="app">
      {session.mode === "sandbox" && (
        <div className="banner" role="note">
          <strong>Sandbox mode.</strong>{" "}
          No Pipedream credentials are set, so the app runs on its built-in Pipedream emulator: the apps are
          stand-ins and nothing leaves this machine. Set the four <code>PIPEDREAM_*</code>{" "}
          variables to go live.
        </div>
      )}
      <header className="top">
        <h1>
          <span className="logo" aria-hidden="true" /> pipedream-connect
        </h1>
        <div className="top-actions">
          <label className="theme-picker">
            <span>Theme</span>
            <select
              value={themeChoice}
              onChange={(e) => setTheme(e.currentTarget.value as ThemeChoice)}
            >
              <option value="system">System</option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </select>
          </label>
          <button
            type="button"
            className="small"
            aria-expanded={devtools}
            onClick={() => setDevtools(!devtools)}
          >
            Developer tools
          </button>
        </div>
      </header>
      <p className="lede">
        Connect your accounts on other apps, run actions on them, and receive their events — through Pipedream
        Connect. You are <code>{session.externalUserId}</code>.{" "}
        <button type="button" className="link" aria-expanded={forgetting} onClick={() => setForgetting(true)}>
          Forget me
        </button>
      </p>
      {forgetting && <ForgetMe onCancel={() => setForgetting(false)} />}
      {session.mode === "live" && (
        // Pipedream keeps each project environment's accounts and triggers apart: say which one this is,
        // so an empty list after connecting elsewhere points at PIPEDREAM_PROJECT_ENVIRONMENT.
        <p className="muted small-text" data-testid="project-environment">
          Live mode, Pipedream project environment{" "}
          <strong>{session.pipedream.projectEnvironment}</strong>: accounts and triggers of the other
          environment are not shown here.
        </p>
      )}
      {notice && (
        <div className={notice.ok ? "notice" : "error-note"} role={notice.ok ? "status" : "alert"}>
          <span>{notice.text}</span>
          <button type="button" className="link" onClick={() => setNotice(undefined)}>Dismiss</button>
        </div>
      )}
      <nav
        className="tabs"
        role="tablist"
        aria-label="Sections"
        onKeyDown={(e) => {
          const i = TABS.findIndex((t) => t.id === url.tab);
          const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
          if (!step) return;
          const next = TABS[(i + step + TABS.length) % TABS.length];
          setUrl({ tab: next.id, component: undefined });
          document.getElementById(`tab-${next.id}`)?.focus();
        }}
      >
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={url.tab === t.id}
            aria-controls="panel"
            tabIndex={url.tab === t.id ? 0 : -1}
            className={url.tab === t.id ? "active" : ""}
            onClick={() => setUrl({ tab: t.id, component: undefined })}
          >
            {t.label}
          </button>
        ))}
      </nav>
      <main id="panel" role="tabpanel" aria-labelledby={`tab-${url.tab}`}>
        {url.tab === "accounts" && (
          <>
            <section className="card" aria-labelledby="connect-title">
              <div className="card-head">
                <h2 id="connect-title">Connect an account</h2>
              </div>
              {picking
                ? (
                  <Suspense fallback={<Spinner label="Loading the app picker…" />}>
                    <ConnectPicker
                      client={client}
                      theme={theme}
                      app={url.app}
                      onApp={(app) => setUrl({ app })}
                      onConnected={(text) => say(text)}
                    />
                  </Suspense>
                )
                : (
                  <div>
                    <p className="muted">
                      Pick one of thousands of apps, then sign in to it (OAuth) or paste an API key.
                    </p>
                    <button type="button" className="primary" onClick={() => setPicking(true)}>
                      Connect an account
                    </button>
                  </div>
                )}
            </section>
            <AccountsPanel
              accounts={accounts}
              client={client}
              onChanged={say}
              onConnectFirst={() => setPicking(true)}
            />
          </>
        )}
        {url.tab === "run" && (
          <>
            <section className="card">
              <Suspense fallback={<Spinner label="Loading the form…" />}>
                <ActionWorkbench {...workbenchProps} onDone={runs.reload} />
              </Suspense>
            </section>
            <RunHistory runs={runs} />
          </>
        )}
        {url.tab === "triggers" && (
          <>
            <section className="card">
              <Suspense fallback={<Spinner label="Loading the form…" />}>
                <TriggerWorkbench {...workbenchProps} onDone={() => {}} />
              </Suspense>
            </section>
            <EventFeed
              events={feed.events}
              connected={feed.connected}
              error={feed.error}
              onRetry={feed.retry}
            />
          </>
        )}
        {accounts.error && url.tab !== "accounts" && (
          <ErrorNote message={accounts.error} onRetry={accounts.reload} />
        )}
      </main>
      {devtools && (
        <Suspense fallback={<Spinner label="Loading developer tools…" />}>
          <DevTools accounts={accounts.data ?? []} onClose={() => setDevtools(false)} />
        </Suspense>
      )}
    </div>
  );
}
