/** The whole app: connect accounts, run actions, deploy triggers and watch their events. */
import { lazy, Suspense, useEffect, useMemo, useState } from "react";
import type { SessionResponse } from "../../shared/api.ts";
import { api } from "../lib/api.ts";
import { takeConnectLinkReturn } from "../lib/connect_link.ts";
import { useEventStream } from "../lib/event_stream.ts";
import { createPipedream, isUserCancel } from "../lib/pipedream.ts";
import { type ThemeChoice, useTheme } from "../lib/theme.ts";
import { type Tab, useUrlState } from "../lib/url_state.ts";
import { useAsync } from "../lib/use_async.ts";
import { AccountsPanel } from "./AccountsPanel.tsx";
import { ErrorNote, Spinner } from "./common.tsx";
import { EventFeed } from "./EventFeed.tsx";
import { ForgetMe } from "./ForgetMe.tsx";
import { RunHistory } from "./RunHistory.tsx";

const ConnectPicker = lazy(() => import("./ConnectPicker.tsx").then((m) => ({ default: m.ConnectPicker })));
const ComponentWorkbench = lazy(() =>
  import("./ComponentWorkbench.tsx").then((m) => ({ default: m.ComponentWorkbench }))
);
const DevToolsPanel = lazy(() => import("./DevTools.tsx").then((m) => ({ default: m.DevToolsPanel })));

const TABS: Array<{ id: Tab; label: string }> = [
  { id: "accounts", label: "Accounts" },
  { id: "run", label: "Run an action" },
  { id: "triggers", label: "Triggers" },
];

export function App({ session }: { session: SessionResponse }) {
  const client = useMemo(() => createPipedream(session), [session]);
  const [linkReturn] = useState(() => takeConnectLinkReturn(location.search));
  const [url, setUrl] = useUrlState();
  const [theme, themeChoice, setTheme] = useTheme();
  const [notice, setNotice] = useState<{ ok: boolean; text: string; neutral?: boolean } | undefined>(
    linkReturn && { ok: linkReturn.ok, text: linkReturn.text, neutral: linkReturn.cancelled },
  );
  // Back from a Connect Link: reopen the picker on the app it was for.
  const [picking, setPicking] = useState<"link" | "button" | undefined>(
    linkReturn?.context || (url.tab === "accounts" && url.app) ? "link" : undefined,
  );
  useEffect(() => {
    if (linkReturn?.context) setUrl({ tab: "accounts", app: linkReturn.context.app }, { replace: true });
  }, []);
  const [devtools, setDevtools] = useState(false);
  const [forgetting, setForgetting] = useState(false);
  const accounts = useAsync(() => api.accounts().then((r) => r.data), []);
  const runs = useAsync(() => api.runs().then((r) => r.data), []);
  const feed = useEventStream((n) => {
    if (n.type === "CONNECTION_SUCCESS") accounts.reload();
    // A denial or a cancel is the user's own choice, already said where it happened.
    else if (n.type === "CONNECTION_ERROR" && !isUserCancel(n.error ?? "")) {
      setNotice({ ok: false, text: `A connection failed: ${n.error ?? ""}` });
    }
  });
  const say = (text?: string) => {
    accounts.reload();
    if (text) setNotice({ ok: true, text });
  };
  const selectTab = (tab: Tab) => setUrl({ tab, app: url.app, component: undefined });

  const workbench = (kind: "action" | "trigger") => (
    <ComponentWorkbench
      kind={kind}
      client={client}
      theme={theme}
      session={session}
      accounts={accounts.data}
      onAccountsChanged={accounts.reload}
      app={url.app}
      componentKey={url.component}
      restoredProps={url.props}
      restoredDynamicPropsId={url.dpid}
      onSelect={(app, component) => setUrl({ app, component })}
      onFormState={(shareable, dpid) =>
        setUrl({
          props: Object.keys(shareable).length ? JSON.stringify(shareable) : undefined,
          dpid,
        }, { replace: true })}
      onDone={runs.reload}
    />
  );

  return (
    <div className={`app${devtools ? " with-devtools" : ""}`}>
      {session.mode === "sandbox" && (
        <div className="banner" role="note">
          <strong>Sandbox mode.</strong>{" "}
          No Pipedream credentials are set, so the app runs on its built-in Pipedream emulator: the apps are
          stand-ins and nothing leaves this machine. To go live, set the four <code>PIPEDREAM_*</code>{" "}
          variables and <code>APP_URL</code>, the public address Pipedream delivers events to.
        </div>
      )}
      <header className="top">
        <h1>
          <span className="logo" aria-hidden="true" /> pipedream-connect
        </h1>
        <div className="top-actions">
          <label className="theme-picker">
            <span>Theme</span>
            <select value={themeChoice} onChange={(e) => setTheme(e.currentTarget.value as ThemeChoice)}>
              <option value="system">System</option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </select>
          </label>
          <button
            type="button"
            className="small"
            aria-expanded={devtools}
            aria-controls="devtools"
            onClick={() => setDevtools(!devtools)}
          >
            Developer tools
          </button>
        </div>
      </header>
      <main>
        <p className="lede">
          Connect your accounts on other apps, then run actions with them and receive their events, all
          through Pipedream Connect.
        </p>
        <p className="muted small-text identity">
          You use this app anonymously as <code>{session.externalUserId}</code> (your external user id).{" "}
          <button
            type="button"
            className="link"
            aria-expanded={forgetting}
            onClick={() => setForgetting(true)}
          >
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
          <div
            className={notice.neutral ? "notice neutral" : notice.ok ? "notice" : "error-note"}
            role={notice.ok ? "status" : "alert"}
          >
            <span>{notice.text}</span>
            <button type="button" className="link" onClick={() => setNotice(undefined)}>Dismiss</button>
          </div>
        )}
        <div
          className="tabs"
          role="tablist"
          aria-label="Sections"
          onKeyDown={(e) => {
            const i = TABS.findIndex((t) => t.id === url.tab);
            const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
            if (!step) return;
            const next = TABS[(i + step + TABS.length) % TABS.length];
            selectTab(next.id);
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
              onClick={() => selectTab(t.id)}
            >
              {t.label}
            </button>
          ))}
        </div>
        <div id="panel" role="tabpanel" aria-labelledby={`tab-${url.tab}`}>
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
                        externalUserId={session.externalUserId}
                        accounts={accounts.data}
                        app={url.app}
                        autoFocus={picking === "button"}
                        onApp={(app) => setUrl({ app })}
                        onConnected={(text) => say(text)}
                      />
                    </Suspense>
                  )
                  : (
                    <div>
                      <p className="muted">
                        Pick an app, then sign in to it (OAuth) or paste an API key. Pipedream keeps the
                        credentials; this app never sees them.
                      </p>
                      <button type="button" className="primary" onClick={() => setPicking("button")}>
                        Connect an account
                      </button>
                    </div>
                  )}
              </section>
              <AccountsPanel accounts={accounts} client={client} onChanged={say} />
            </>
          )}
          {url.tab === "run" && (
            <>
              <section className="card" aria-label="Run an action">
                <Suspense fallback={<Spinner label="Loading the form…" />}>{workbench("action")}</Suspense>
              </section>
              <RunHistory runs={runs} />
            </>
          )}
          {url.tab === "triggers" && (
            <>
              <section className="card" aria-label="Deploy a trigger">
                <Suspense fallback={<Spinner label="Loading the form…" />}>{workbench("trigger")}</Suspense>
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
        </div>
      </main>
      {devtools && (
        <Suspense fallback={<Spinner label="Loading developer tools…" />}>
          <DevToolsPanel
            accounts={accounts.data ?? []}
            externalUserId={session.externalUserId}
            onClose={() => setDevtools(false)}
          />
        </Suspense>
      )}
    </div>
  );
}
