/**
 * Everything built on @pipedream/connect-react: the app picker, and the
 * action and trigger workbenches with ComponentForm. This module (and with it
 * react-select, emotion and react-markdown) loads only when first needed.
 */
import {
  ComponentForm,
  CustomizeProvider,
  FrontendClientProvider,
  SelectApp,
  SelectComponent,
} from "@pipedream/connect-react";
import type { PipedreamClient } from "@pipedream/sdk/browser";
import { type ReactNode, useEffect, useState } from "react";
import type { DeployedTriggerView, RunActionResponse } from "../../shared/api.ts";
import { api, messageOf } from "../lib/api.ts";
import { connectReactTheme, type Theme } from "../lib/theme.ts";
import { useAsync } from "../lib/use_async.ts";
import { CodeView, ErrorNote, formatDate, Spinner } from "./common.tsx";
import { RunResult } from "./RunResult.tsx";
import { actionSnippets, connectSnippets, triggerSnippets } from "./snippets.ts";

type App = { id?: string; nameSlug: string; name?: string; imgSrc?: string };
type Component = Parameters<typeof ComponentForm>[0]["component"];

function Providers(
  { client, theme, children }: { client: PipedreamClient; theme: Theme; children: ReactNode },
) {
  return (
    <FrontendClientProvider client={client}>
      <CustomizeProvider theme={connectReactTheme(theme)}>{children}</CustomizeProvider>
    </FrontendClientProvider>
  );
}

/**
 * The app chosen in the URL, fetched once, so SelectApp shows its name and
 * icon even when it is not on the picker's first page of apps.
 */
function useApp(client: PipedreamClient, slug?: string): [App | undefined, (a?: App) => void] {
  const [app, setApp] = useState<App>();
  useEffect(() => {
    if (!slug || app?.nameSlug === slug) return;
    let current = true;
    client.apps.retrieve(slug).then((r) => current && setApp(r.data as App), () => {});
    return () => {
      current = false;
    };
  }, [slug]);
  return [slug ? (app?.nameSlug === slug ? app : { nameSlug: slug }) : undefined, setApp];
}

export function ConnectPicker(
  { client, theme, app, onApp, onConnected }: {
    client: PipedreamClient;
    theme: Theme;
    app?: string;
    onApp: (slug?: string) => void;
    onConnected: (message: string) => void;
  },
) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [selected, setSelected] = useApp(client, app);

  const connect = () => {
    if (!app) return;
    setError(undefined);
    setBusy(true);
    client.connectAccount({
      app,
      onSuccess: ({ id }) => onConnected(`Connected ${selected?.name ?? app} (account ${id}).`),
      onError: (err) => setError(err.message || "The connection failed"),
      onClose: () => setBusy(false),
    });
  };
  const connectLink = async () => {
    if (!app) return;
    setError(undefined);
    try {
      const t = await api.connectToken(true);
      location.assign(`${t.connectLinkUrl}&app=${encodeURIComponent(app)}`);
    } catch (err) {
      setError(messageOf(err));
    }
  };

  return (
    <Providers client={client} theme={theme}>
      <div className="workbench">
        <div className="steps">
          <label className="field-label" htmlFor="select-app-connect">App</label>
          <div id="select-app-connect" data-testid="select-app">
            <SelectApp
              value={selected}
              onChange={(a?: App) => {
                setSelected(a);
                onApp(a?.nameSlug);
              }}
            />
          </div>
          <div className="actions">
            <button type="button" className="primary" disabled={!app || busy} onClick={connect}>
              {busy ? "Connecting…" : "Connect account"}
            </button>
            <button type="button" disabled={!app} onClick={connectLink}>Use Connect Link instead</button>
          </div>
          {error && <ErrorNote message={error} />}
        </div>
        <CodeView
          snippets={connectSnippets(app ?? "google_sheets")}
          note={app ? undefined : "An example for google_sheets: pick an app to see the code for it."}
        />
      </div>
    </Providers>
  );
}

/** The component chosen in the URL, fetched once so a shared link reopens the form. */
function useComponent(client: PipedreamClient, key?: string) {
  const [component, setComponent] = useState<Component>();
  const [error, setError] = useState<string>();
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    setError(undefined);
    if (!key) return setComponent(undefined);
    if (component?.key === key) return;
    let current = true;
    client.components.retrieve(key).then(
      (r) => current && setComponent(r.data as Component),
      (err) => current && setError(messageOf(err)),
    );
    return () => {
      current = false;
    };
  }, [key, attempt]);
  return {
    component: component?.key === key ? component : undefined,
    setComponent,
    error,
    retry: () => setAttempt((n) => n + 1),
  };
}

type WorkbenchProps = {
  client: PipedreamClient;
  theme: Theme;
  externalUserId: string;
  app?: string;
  componentKey?: string;
  onSelect: (app?: string, component?: string) => void;
  onDone: () => void;
};

function ComponentPicker(
  { client, kind, app, componentKey, component, onSelect, setComponent }: {
    client: PipedreamClient;
    kind: "action" | "trigger";
    app?: string;
    componentKey?: string;
    component?: Component;
    onSelect: (app?: string, component?: string) => void;
    setComponent: (c?: Component) => void;
  },
) {
  const [selected, setSelected] = useApp(client, app);
  return (
    <>
      <label className="field-label" htmlFor={`select-app-${kind}`}>App</label>
      <div id={`select-app-${kind}`} data-testid="select-app">
        <SelectApp
          value={selected}
          onChange={(a?: App) => {
            setSelected(a);
            onSelect(a?.nameSlug);
          }}
        />
      </div>
      {app && (
        <>
          <label className="field-label" htmlFor={`select-${kind}`}>
            {kind === "action" ? "Action" : "Trigger"}
          </label>
          <div id={`select-${kind}`} data-testid="select-component">
            <SelectComponent
              app={{ nameSlug: app }}
              componentType={kind}
              value={componentKey ? (component ?? { key: componentKey }) : undefined}
              onChange={(c?: Component) => {
                setComponent(c);
                onSelect(app, c?.key);
              }}
            />
          </div>
        </>
      )}
    </>
  );
}

/**
 * The chosen component and its form state, reset whenever another component
 * is chosen (props and the dynamic props id belong to one component).
 */
function useComponentForm(client: PipedreamClient, componentKey?: string) {
  const loaded = useComponent(client, componentKey);
  const [props, setProps] = useState<Record<string, unknown>>({});
  const [dynamicPropsId, setDynamicPropsId] = useState<string>();
  useEffect(() => {
    setProps({});
    setDynamicPropsId(undefined);
  }, [componentKey]);
  return {
    ...loaded,
    props,
    setProps,
    setDynamicPropsId,
    /** What the run or deploy request sends of the form. */
    request: { configuredProps: props, ...(dynamicPropsId ? { dynamicPropsId } : {}) },
  };
}
type ComponentFormState = ReturnType<typeof useComponentForm>;

/** Picking an app and one of its components, then its ComponentForm. */
function ComponentStep(
  { kind, p, form, onSubmit }: {
    kind: "action" | "trigger";
    p: WorkbenchProps;
    form: ComponentFormState;
    onSubmit: (component: Component) => Promise<void>;
  },
) {
  const { component } = form;
  return (
    <>
      <ComponentPicker kind={kind} {...p} component={component} setComponent={form.setComponent} />
      {form.error && (
        <ErrorNote message={`Could not load ${p.componentKey}: ${form.error}`} onRetry={form.retry} />
      )}
      {p.componentKey && !component && !form.error && <Spinner label={`Loading the ${kind}…`} />}
      {component && (
        <div className="form" data-testid="component-form">
          <ComponentForm
            externalUserId={p.externalUserId}
            component={component}
            configuredProps={form.props}
            onUpdateConfiguredProps={(v: Record<string, unknown>) => form.setProps(v)}
            onUpdateDynamicProps={(dp: { id?: string }) => form.setDynamicPropsId(dp?.id)}
            onSubmit={() => onSubmit(component)}
          />
        </div>
      )}
    </>
  );
}

export function ActionWorkbench(p: WorkbenchProps) {
  const form = useComponentForm(p.client, p.componentKey);
  const [result, setResult] = useState<RunActionResponse>();
  const [error, setError] = useState<string>();
  const [running, setRunning] = useState(false);
  useEffect(() => {
    setResult(undefined);
    setError(undefined);
  }, [p.componentKey]);

  const run = async (component: Component) => {
    setError(undefined);
    setResult(undefined);
    setRunning(true);
    try {
      setResult(await api.runAction({ actionId: component.key, ...form.request }));
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setRunning(false);
      p.onDone();
    }
  };

  return (
    <Providers client={p.client} theme={p.theme}>
      <div className="workbench">
        <div className="steps">
          <ComponentStep kind="action" p={p} form={form} onSubmit={run} />
          <div aria-live="polite">
            {running && <Spinner label={`Running ${form.component?.name ?? "the action"}…`} />}
            {error && <ErrorNote message={`The run failed: ${error}`} />}
            {result && <RunResult result={result} />}
          </div>
        </div>
        <CodeView
          snippets={actionSnippets(p.componentKey ?? "google_sheets-add-single-row", form.props)}
          note={p.componentKey ? undefined : "An example: pick an action to see the code for it."}
        />
      </div>
    </Providers>
  );
}

export function TriggerWorkbench(p: WorkbenchProps) {
  const form = useComponentForm(p.client, p.componentKey);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [deploying, setDeploying] = useState(false);
  const deployed = useAsync(() => api.triggers().then((r) => r.data), []);
  useEffect(() => setError(undefined), [p.componentKey]);

  const deploy = async (component: Component) => {
    setError(undefined);
    setNotice(undefined);
    setDeploying(true);
    try {
      const t = await api.deployTrigger({ triggerId: component.key, ...form.request });
      setNotice(`Deployed ${t.name} (${t.id}). Its events will appear in the live feed.`);
      deployed.reload();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setDeploying(false);
      p.onDone();
    }
  };

  const remove = async (t: DeployedTriggerView) => {
    setError(undefined);
    try {
      await api.deleteTrigger(t.id);
      setNotice(`Deleted ${t.name}.`);
      deployed.reload();
    } catch (err) {
      setError(messageOf(err));
    }
  };

  return (
    <Providers client={p.client} theme={p.theme}>
      <div className="workbench">
        <div className="steps">
          <ComponentStep kind="trigger" p={p} form={form} onSubmit={deploy} />
          <div aria-live="polite">
            {deploying && <Spinner label={`Deploying ${form.component?.name ?? "the trigger"}…`} />}
            {error && <ErrorNote message={`The deploy failed: ${error}`} />}
            {notice && <p className="notice" role="status">{notice}</p>}
          </div>
          <h3>Deployed triggers</h3>
          {deployed.loading && !deployed.data && <Spinner label="Loading deployed triggers…" />}
          {deployed.error && <ErrorNote message={deployed.error} onRetry={deployed.reload} />}
          {deployed.data?.length === 0 && <p className="muted">None deployed yet.</p>}
          <ul className="deployed">
            {deployed.data?.map((t) => (
              <li key={t.id} data-testid="deployed-trigger">
                <div>
                  <strong>{t.name}</strong> <code>{t.id}</code>
                  <span className="muted small-text">Deployed {formatDate(t.createdAt)}</span>
                </div>
                <button
                  type="button"
                  className="small danger"
                  onClick={() => remove(t)}
                  aria-label={`Delete ${t.name}`}
                >
                  Delete
                </button>
              </li>
            ))}
          </ul>
        </div>
        <CodeView
          snippets={triggerSnippets(p.componentKey ?? "slack-new-message", form.props)}
          note={p.componentKey ? undefined : "An example: pick a trigger to see the code for it."}
        />
      </div>
    </Providers>
  );
}
