/**
 * The workbench for one kind of component, action or trigger: pick an app
 * and one of its components (connect-react's SelectApp and SelectComponent),
 * fill its form, run or deploy it, and see the code for it. Loaded with
 * `import()` (it brings connect-react, react-select and emotion).
 */
import { SelectApp, SelectComponent, useApp, useComponent } from "@pipedream/connect-react";
import type { PipedreamClient } from "@pipedream/sdk/browser";
import { useEffect, useMemo, useRef, useState } from "react";
import type { AccountView, RunActionResponse, SessionResponse } from "../../shared/api.ts";
import { api } from "../lib/api.ts";
import { parseValues, type Values } from "../lib/form_values.ts";
import type { Theme } from "../lib/theme.ts";
import { CodeView } from "./CodeView.tsx";
import { useConnectAgain } from "./connect_again.tsx";
import { DeployedTriggers } from "./DeployedTriggers.tsx";
import { ComponentFormArea, type FormState } from "./form/ComponentFormArea.tsx";
import { formClient, type FormClientHooks } from "./form/form_client.ts";
import { Providers } from "./form/Providers.tsx";
import { PickerLabel } from "./PickerLabel.tsx";
import { RunResult } from "./RunResult.tsx";
import { actionSnippets, triggerSnippets } from "./snippets.ts";

export type Kind = "action" | "trigger";

export type WorkbenchProps = {
  kind: Kind;
  client: PipedreamClient;
  theme: Theme;
  session: SessionResponse;
  accounts?: AccountView[];
  onAccountsChanged: () => void;
  app?: string;
  componentKey?: string;
  /** The form's props and dynamicPropsId from the URL. */
  restoredProps?: string;
  restoredDynamicPropsId?: string;
  onSelect: (app?: string, component?: string) => void;
  onFormState: (shareable: Values, dynamicPropsId?: string) => void;
  /** A run or deploy finished (the run history reloads). */
  onDone: () => void;
};

const KIND = {
  action: { label: "Action", example: "google_sheets-add-single-row", snippets: actionSnippets },
  trigger: { label: "Trigger", example: "slack-new-message", snippets: triggerSnippets },
} as const;

export function ComponentWorkbench(p: WorkbenchProps) {
  const bridge = useRef<Partial<FormClientHooks>>({});
  const [confirmDialog, confirmConnect] = useConnectAgain(p.accounts);
  const confirmRef = useRef(confirmConnect);
  confirmRef.current = confirmConnect;
  const changed = useRef(p.onAccountsChanged);
  changed.current = p.onAccountsChanged;
  const client = useMemo(() =>
    formClient(p.client, {
      dynamicPropsId: () => bridge.current.dynamicPropsId?.(),
      optionsLoaded: (name, error) => bridge.current.optionsLoaded?.(name, error),
      confirmConnect: (app) => confirmRef.current(app),
      connected: () => changed.current(),
    }), [p.client]);
  return (
    <Providers client={client} theme={p.theme}>
      <WorkbenchBody {...p} client={client} bridge={bridge} />
      {confirmDialog}
    </Providers>
  );
}

function WorkbenchBody(p: WorkbenchProps & { bridge: { current: Partial<FormClientHooks> } }) {
  const spec = KIND[p.kind];
  const [form, setForm] = useState<FormState>();
  const [result, setResult] = useState<RunActionResponse>();
  const [deployed, setDeployed] = useState(0);
  const [notice, setNotice] = useState<string>();
  useEffect(() => {
    setResult(undefined);
    setNotice(undefined);
  }, [p.componentKey]);
  const { app } = useApp(p.app ?? "", { useQueryOpts: { enabled: Boolean(p.app) } });
  const { component } = useComponent({ key: p.componentKey });
  const restored = useMemo(() => ({
    values: parseValues(p.restoredProps),
    dynamicPropsId: p.restoredDynamicPropsId,
  }), [p.componentKey]);

  const submit = async (request: { configuredProps: Values; dynamicPropsId?: string }) => {
    if (!p.componentKey) return;
    setResult(undefined);
    setNotice(undefined);
    try {
      if (p.kind === "action") {
        const res = await api.runAction({ actionId: p.componentKey, ...request });
        setResult(res);
        return res;
      }
      const t = await api.deployTrigger({ triggerId: p.componentKey, ...request });
      setDeployed((n) => n + 1);
      setNotice(`Deployed ${t.name} (${t.id}). Its events appear under Live events.`);
      return t;
    } finally {
      p.onDone();
    }
  };

  const key = p.componentKey ?? spec.example;
  const snippets = spec.snippets({
    externalUserId: p.session.externalUserId,
    key,
    values: form && p.componentKey ? form.values : {},
    props: form?.props ?? [],
    dynamicPropsId: form?.dynamicPropsId,
  });

  return (
    <div className="workbench">
      <div className="steps">
        <PickerLabel id={`${p.kind}-app-label`} text="App">
          <SelectApp
            value={p.app && app ? app : undefined}
            onChange={(a) => p.onSelect(a?.nameSlug)}
          />
        </PickerLabel>
        {p.app && (
          <PickerLabel id={`${p.kind}-component-label`} text={spec.label} testId="select-component">
            <SelectComponent
              app={{ nameSlug: p.app }}
              componentType={p.kind}
              value={p.componentKey ? (component ?? { key: p.componentKey }) : undefined}
              onChange={(c) => p.onSelect(p.app, c?.key)}
            />
          </PickerLabel>
        )}
        {p.componentKey && (
          <ComponentFormArea
            key={p.componentKey}
            client={p.client}
            externalUserId={p.session.externalUserId}
            componentKey={p.componentKey}
            noun={p.kind}
            accounts={p.accounts}
            restored={restored}
            bridge={p.bridge}
            submit={submit}
            onState={(s) => {
              setForm(s);
              p.onFormState(s.shareable, s.dynamicPropsId);
            }}
          />
        )}
        <div aria-live="polite">
          {result && <RunResult result={result} />}
          {notice && <p className="notice" role="status">{notice}</p>}
        </div>
        {p.kind === "trigger" && (
          <DeployedTriggers
            mode={p.session.mode}
            accounts={p.accounts}
            refresh={deployed}
          />
        )}
      </div>
      <CodeView
        label={`Code for this ${p.kind}`}
        snippets={snippets}
        note={p.componentKey
          ? undefined
          : `An example for ${spec.example}: pick ${
            p.kind === "action" ? "an action" : "a trigger"
          } to see the code for it.`}
      />
    </div>
  );
}
