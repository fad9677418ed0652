/**
 * Connecting an account: connect-react's app picker, then Pipedream's Connect
 * dialog (`connectAccount`) or the Connect Link (a redirect). Asks first when
 * the user already has an account of that app; a cancelled dialog is not an
 * error. Loaded with `import()`.
 */
import { SelectApp, useApp } from "@pipedream/connect-react";
import type { PipedreamClient } from "@pipedream/sdk/browser";
import { useState } from "react";
import type { AccountView } from "../../shared/api.ts";
import { api, messageOf } from "../lib/api.ts";
import { connectLinkFor, isUserCancel } from "../lib/pipedream.ts";
import { rememberConnectLink } from "../lib/connect_link.ts";
import type { Theme } from "../lib/theme.ts";
import { CodeView } from "./CodeView.tsx";
import { ErrorNote } from "./common.tsx";
import { useConnectAgain } from "./connect_again.tsx";
import { Providers } from "./form/Providers.tsx";
import { PickerLabel } from "./PickerLabel.tsx";
import { connectSnippets } from "./snippets.ts";

type Props = {
  client: PipedreamClient;
  theme: Theme;
  externalUserId: string;
  accounts?: AccountView[];
  app?: string;
  /** Move focus into the picker when it appears (it was opened by a button). */
  autoFocus?: boolean;
  onApp: (slug?: string) => void;
  onConnected: (message: string) => void;
};

export function ConnectPicker(p: Props) {
  return (
    <Providers client={p.client} theme={p.theme}>
      <Picker {...p} />
    </Providers>
  );
}

function Picker(p: Props) {
  const [error, setError] = useState<string>();
  const [note, setNote] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [dialog, connectAgain] = useConnectAgain(p.accounts);
  const { app } = useApp(p.app ?? "", { useQueryOpts: { enabled: Boolean(p.app) } });
  // The app picked in the picker, kept while the app's own lookup is still on its way.
  const [picked, setPicked] = useState<{ nameSlug: string; name: string }>();
  const name = app?.name ?? (picked?.nameSlug === p.app ? picked?.name : undefined) ??
    p.accounts?.find((a) => a.app?.nameSlug === p.app)?.app?.name ?? p.app ?? "";

  const connect = async () => {
    if (!p.app || !await connectAgain(p.app)) return;
    setError(undefined);
    setNote(undefined);
    setBusy(true);
    await p.client.connectAccount({
      app: p.app,
      onSuccess: ({ id }) => p.onConnected(`Connected ${name} (account ${id}).`),
      onError: (err) => {
        const message = err.message || "The connection failed";
        if (isUserCancel(message)) setNote(`${name} was not connected: ${message.replace(/\.$/, "")}.`);
        else setError(`Could not connect ${name}: ${message}`);
      },
      onClose: () => setBusy(false),
    });
  };
  const connectLink = async () => {
    if (!p.app || !await connectAgain(p.app)) return;
    setError(undefined);
    try {
      const t = await api.connectToken(true);
      rememberConnectLink({ app: p.app, appName: name });
      location.assign(connectLinkFor(t.connectLinkUrl, p.app));
    } catch (err) {
      setError(messageOf(err));
    }
  };

  return (
    <div className="workbench">
      <div className="steps">
        <PickerLabel id="connect-app-label" text="App" autoFocus={p.autoFocus}>
          <SelectApp
            value={p.app && app ? app : undefined}
            onChange={(a) => {
              setPicked(a ? { nameSlug: a.nameSlug, name: a.name } : undefined);
              p.onApp(a?.nameSlug);
            }}
          />
        </PickerLabel>
        <div className="actions">
          <button type="button" className="primary" disabled={!p.app || busy} onClick={connect}>
            {busy ? "Connecting…" : "Connect account"}
          </button>
          <button type="button" disabled={!p.app} onClick={connectLink}>Use Connect Link instead</button>
        </div>
        {!p.app && <p className="muted small-text">Pick an app first.</p>}
        {error && <ErrorNote message={error} />}
        {note && <p className="notice neutral" role="status">{note}</p>}
      </div>
      <CodeView
        label="Code for connecting an account"
        snippets={connectSnippets(p.app ?? "google_sheets", p.externalUserId)}
        note={p.app ? undefined : "An example for google_sheets: pick an app to see the code for it."}
      />
      {dialog}
    </div>
  );
}
