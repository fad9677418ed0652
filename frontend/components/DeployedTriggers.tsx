/**
 * The user's deployed triggers: which account each uses (flagged when that
 * account was disconnected), the props that shape its events, when a polling
 * trigger checks next, a way to make an event happen, and delete (confirmed).
 */
import { useComponent } from "@pipedream/connect-react";
import { useEffect, useState } from "react";
import type { AccountView, DeployedTriggerView, Mode } from "../../shared/api.ts";
import { api, messageOf } from "../lib/api.ts";
import { accountIdOf, accountLabel, displayValue, type PropSpec } from "../lib/form_values.ts";
import { useAsync } from "../lib/use_async.ts";
import { ConfirmDialog, ErrorNote, formatDate, Spinner } from "./common.tsx";

export function DeployedTriggers(
  { mode, accounts, refresh }: { mode: Mode; accounts?: AccountView[]; refresh: number },
) {
  const deployed = useAsync(() => api.triggers().then((r) => r.data), [refresh]);
  const [removing, setRemoving] = useState<DeployedTriggerView | null>(null);
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<string>();

  const remove = async (t: DeployedTriggerView) => {
    setRemoving(null);
    setError(undefined);
    try {
      await api.deleteTrigger(t.id);
      setNotice(`Deleted ${t.name}.`);
      deployed.reload();
    } catch (err) {
      setError(`Could not delete ${t.name}: ${messageOf(err)}`);
    }
  };

  return (
    <section aria-labelledby="deployed-title" className="deployed-section">
      <div className="card-head">
        <h3 id="deployed-title">Deployed triggers</h3>
        <button type="button" className="small" onClick={deployed.reload}>Refresh</button>
      </div>
      {deployed.loading && !deployed.data && <Spinner label="Loading deployed triggers…" />}
      {deployed.error && <ErrorNote message={deployed.error} onRetry={deployed.reload} />}
      {error && <ErrorNote message={error} />}
      {notice && <p className="notice" role="status">{notice}</p>}
      {deployed.data?.length === 0 && <p className="muted">None deployed yet.</p>}
      <ul className="deployed">
        {deployed.data?.map((t) => (
          <TriggerRow
            key={t.id}
            trigger={t}
            mode={mode}
            accounts={accounts}
            onDelete={() => setRemoving(t)}
          />
        ))}
      </ul>
      <ConfirmDialog
        open={removing !== null}
        title={`Delete ${removing?.name ?? "this trigger"}?`}
        confirmLabel="Delete trigger"
        onConfirm={() => removing && remove(removing)}
        onCancel={() => setRemoving(null)}
      >
        <p>Pipedream stops watching for it and no more of its events arrive. Events already received stay.</p>
      </ConfirmDialog>
    </section>
  );
}

function TriggerRow(
  { trigger: t, mode, accounts, onDelete }: {
    trigger: DeployedTriggerView;
    mode: Mode;
    accounts?: AccountView[];
    onDelete: () => void;
  },
) {
  const { component } = useComponent({ key: t.componentKey });
  const props = (component?.configurableProps ?? []) as Array<PropSpec & { default?: unknown }>;
  const accountIds = Object.values(t.configuredProps).map(accountIdOf).filter((id): id is string =>
    Boolean(id)
  );
  const disconnected = Boolean(accounts) && accountIds.some((id) => !accounts!.some((a) => a.id === id));
  const shown = Object.entries(t.configuredProps).filter(([k, v]) => {
    const p = props.find((x) => x.name === k);
    return !accountIdOf(v) && !p?.secret && p?.type !== "$.interface.timer" && v !== "[redacted]";
  });
  const timer = props.find((p) => p.type === "$.interface.timer");
  const configuredTimer = t.configuredProps[timer?.name ?? ""] as { intervalSeconds?: number } | undefined;
  const interval = timer
    ? Number(
      configuredTimer?.intervalSeconds ?? (timer.default as { intervalSeconds?: number })?.intervalSeconds,
    )
    : NaN;

  return (
    <li data-testid="deployed-trigger">
      <div className="deployed-main">
        <strong>{t.name}</strong>
        <span className="muted small-text">
          <code>{t.componentKey}</code> · <code>{t.id}</code> · deployed {formatDate(t.createdAt)}
        </span>
        {accountIds.map((id) => {
          const account = accounts?.find((a) => a.id === id);
          if (account) {
            return (
              <span key={id} className="small-text">
                Account: {account.app?.name ?? "app"} · {accountLabel(account)}
              </span>
            );
          }
          return accounts
            ? (
              <span key={id} className="small-text disconnected" data-testid="trigger-disconnected">
                <span className="badge bad">Account disconnected</span>{" "}
                Its account (<code>{id}</code>) is no longer connected, so no events arrive. Delete this
                trigger, or reconnect the app and deploy it again.
              </span>
            )
            : null;
        })}
        {shown.length > 0 && (
          <dl className="trigger-props small-text">
            {shown.map(([k, v]) => (
              <div key={k}>
                <dt>{props.find((p) => p.name === k)?.label ?? k}</dt>
                <dd>{displayValue(v)}</dd>
              </div>
            ))}
          </dl>
        )}
        {interval > 0 && !disconnected && <NextPoll createdAt={t.createdAt} seconds={interval} />}
        {!disconnected && <TestEvent trigger={t} mode={mode} description={component?.description} />}
      </div>
      <button type="button" className="small danger" onClick={onDelete} aria-label={`Delete ${t.name}`}>
        Delete
      </button>
    </li>
  );
}

/**
 * When a polling trigger checks next. Pipedream runs timer triggers on their
 * interval from the deploy; neither it nor the sandbox reports the next run,
 * so this is the next multiple of the interval after the deploy (an estimate).
 */
function NextPoll({ createdAt, seconds }: { createdAt: string; seconds: number }) {
  const [now, setNow] = useState(Date.now());
  const start = new Date(createdAt).getTime();
  const period = seconds * 1000;
  const next = start + Math.max(1, Math.ceil((now - start) / period)) * period;
  useEffect(() => {
    const t = setTimeout(() => setNow(Date.now()), Math.max(1000, next - Date.now() + 50));
    return () => clearTimeout(t);
  }, [next]);
  const time = new Date(next).toLocaleTimeString(undefined, {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
  return (
    <span className="small-text" data-testid="next-poll">
      Checks every{" "}
      {seconds >= 60 && seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`}; next check around{" "}
      <time dateTime={new Date(next).toISOString()}>{time}</time>.
    </span>
  );
}

/**
 * In sandbox mode the sandbox app emits a sample event, which travels the
 * real path (a signed webhook to this app). Pipedream has no such API, so in
 * live mode this says what makes the trigger fire.
 */
function TestEvent(
  { trigger, mode, description }: { trigger: DeployedTriggerView; mode: Mode; description?: string },
) {
  const [state, setState] = useState<{ busy?: boolean; message?: string; error?: string; open?: boolean }>(
    {},
  );
  if (mode === "live") {
    return (
      <div className="test-event">
        <button
          type="button"
          className="small"
          aria-expanded={Boolean(state.open)}
          onClick={() => setState({ open: !state.open })}
        >
          How do I get an event?
        </button>
        {state.open && (
          <p className="small-text">
            Pipedream sends an event when the app reports one{description ? `: ${description}` : "."}{" "}
            There is no API to send a test event, so do that in the app itself (for example, post a message in
            the channel this trigger watches). It appears under Live events within moments.
          </p>
        )}
      </div>
    );
  }
  const send = async () => {
    setState({ busy: true });
    try {
      const res = await api.sendTestEvent(trigger.id);
      setState({ message: res.message });
    } catch (err) {
      setState({ error: messageOf(err) });
    }
  };
  return (
    <div className="test-event" aria-live="polite">
      <button type="button" className="small" onClick={send} disabled={state.busy}>
        {state.busy ? "Sending…" : "Send a test event"}
      </button>
      {state.message && <span className="small-text">{state.message}</span>}
      {state.error && <span className="small-text field-error-text">{state.error}</span>}
    </div>
  );
}
