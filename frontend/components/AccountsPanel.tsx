/** The user's connected accounts: told apart, with health; reconnect and disconnect (confirmed). */
import type { PipedreamClient } from "@pipedream/sdk/browser";
import { useState } from "react";
import type { AccountView } from "../../shared/api.ts";
import { api, messageOf } from "../lib/api.ts";
import { isUserCancel } from "../lib/pipedream.ts";
import type { Async } from "../lib/use_async.ts";
import { ConfirmDialog, ErrorNote, formatDate, Spinner } from "./common.tsx";

export function AccountsPanel(
  { accounts, client, onChanged }: {
    accounts: Async<AccountView[]>;
    client: PipedreamClient;
    onChanged: (message?: string) => void;
  },
) {
  const [removing, setRemoving] = useState<AccountView | null>(null);
  const [error, setError] = useState<string>();
  const [note, setNote] = useState<string>();
  const [busy, setBusy] = useState<string>();

  if (accounts.loading && !accounts.data) return <Spinner label="Loading your accounts…" />;
  if (accounts.error && !accounts.data) {
    return <ErrorNote message={accounts.error} onRetry={accounts.reload} />;
  }
  const list = accounts.data ?? [];
  const sameApp = (a: AccountView) => list.filter((b) => b.app?.nameSlug === a.app?.nameSlug).length;

  const disconnect = async (a: AccountView) => {
    setRemoving(null);
    setBusy(a.id);
    setError(undefined);
    try {
      await api.deleteAccount(a.id);
      onChanged(`Disconnected ${a.app?.name ?? a.id} (${a.name ?? a.id}).`);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(undefined);
    }
  };

  const reconnect = (a: AccountView) => {
    if (!a.app) return;
    setError(undefined);
    setNote(undefined);
    client.connectAccount({
      app: a.app.nameSlug,
      accountId: a.id,
      onSuccess: () => onChanged(`Reconnected ${a.app?.name}.`),
      onError: (err) => {
        if (isUserCancel(err.message)) {
          setNote(`${a.app?.name} was not reconnected: ${err.message.replace(/\.$/, "")}.`);
        } else setError(`Could not reconnect ${a.app?.name}: ${err.message}`);
      },
    });
  };

  return (
    <section aria-labelledby="accounts-title" className="card">
      <div className="card-head">
        <h2 id="accounts-title">Your accounts</h2>
        <button type="button" className="small" onClick={accounts.reload} aria-label="Refresh accounts">
          Refresh
        </button>
      </div>
      {error && <ErrorNote message={error} />}
      {note && <p className="notice neutral" role="status">{note}</p>}
      {list.length === 0
        ? (
          <p className="muted">
            No accounts yet. Connect one above to run actions and deploy triggers with it.
          </p>
        )
        : (
          <ul className="accounts" aria-live="polite">
            {list.map((a) => {
              const label = `${a.app?.name ?? "Unknown app"}${sameApp(a) > 1 ? ` (…${a.id.slice(-6)})` : ""}`;
              return (
                <li key={a.id} className="account" data-testid="account">
                  {a.app?.imgSrc
                    ? <img src={a.app.imgSrc} alt="" width={36} height={36} />
                    : <span className="icon" />}
                  <div className="account-main">
                    <strong>{a.app?.name ?? "Unknown app"}</strong>
                    <span>{a.name ?? "Unnamed account"}</span>
                    <span className="muted small-text">
                      Connected {formatDate(a.createdAt)} · <code>{a.id}</code>
                    </span>
                  </div>
                  <span className={`badge ${a.healthy && !a.dead ? "ok" : "bad"}`}>
                    {a.dead ? "Dead" : a.healthy ? "Healthy" : "Needs attention"}
                  </span>
                  <div className="row-actions">
                    <button
                      type="button"
                      className="small"
                      onClick={() => reconnect(a)}
                      disabled={busy === a.id}
                      aria-label={`Reconnect ${label}`}
                    >
                      Reconnect
                    </button>
                    <button
                      type="button"
                      className="small danger"
                      onClick={() => setRemoving(a)}
                      disabled={busy === a.id}
                      aria-label={`Disconnect ${label}`}
                    >
                      {busy === a.id ? "Disconnecting…" : "Disconnect"}
                    </button>
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      <ConfirmDialog
        open={removing !== null}
        title={`Disconnect ${removing?.app?.name ?? "this account"}?`}
        confirmLabel="Disconnect"
        onConfirm={() => removing && disconnect(removing)}
        onCancel={() => setRemoving(null)}
      >
        <p>
          {removing?.name
            ? (
              <>
                <strong>{removing.name}</strong>
                {" "}
              </>
            )
            : null}
          Actions and triggers that use it will stop working. You can connect it again at any time.
        </p>
      </ConfirmDialog>
    </section>
  );
}
