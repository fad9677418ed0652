/** The user's recent runs: outcome and error in plain sight, each result reopenable. */
import { useState } from "react";
import type { RunDetail, RunRecord } from "../../shared/api.ts";
import { api, messageOf } from "../lib/api.ts";
import type { Async } from "../lib/use_async.ts";
import { ErrorNote, formatDate, Spinner } from "./common.tsx";
import { OutcomeBadge, RunResult } from "./RunResult.tsx";

export function RunHistory({ runs }: { runs: Async<RunRecord[]> }) {
  return (
    <section className="card" aria-labelledby="runs-title">
      <div className="card-head">
        <h2 id="runs-title">Run history</h2>
        <button type="button" className="small" onClick={runs.reload}>Refresh</button>
      </div>
      {runs.loading && !runs.data && <Spinner label="Loading runs…" />}
      {runs.error && <ErrorNote message={runs.error} onRetry={runs.reload} />}
      {runs.data && runs.data.length === 0 && <p className="muted">No runs yet.</p>}
      {runs.data && runs.data.length > 0 && (
        <ol className="runs" data-testid="runs">
          {runs.data.map((r) => <RunRow key={r.id} run={r} />)}
        </ol>
      )}
    </section>
  );
}

function RunRow({ run: r }: { run: RunRecord }) {
  const [open, setOpen] = useState(false);
  const [detail, setDetail] = useState<{ run?: RunDetail; error?: string; loading?: boolean }>({});
  const load = async () => {
    setDetail({ loading: true });
    try {
      setDetail({ run: await api.run(r.id) });
    } catch (err) {
      setDetail({ error: messageOf(err) });
    }
  };
  const toggle = () => {
    setOpen(!open);
    if (!open && !detail.run) load();
  };
  const panel = `run-${r.id}`;
  return (
    <li data-testid="run">
      <div className="run-line">
        <OutcomeBadge outcome={r.outcome} />
        <code className="run-key">{r.componentKey}</code>
        <span className="muted small-text">
          {formatDate(r.startedAt)} · {r.durationMs} ms
        </span>
        <button type="button" className="small" aria-expanded={open} aria-controls={panel} onClick={toggle}>
          {open ? "Hide" : r.outcome === "success" ? "Show result" : "Show details"}
        </button>
      </div>
      {r.error && <p className="run-error" data-testid="run-error">{r.error}</p>}
      {open && (
        <div id={panel} className="run-detail">
          {detail.loading && <Spinner label="Loading the run…" />}
          {detail.error && <ErrorNote message={detail.error} onRetry={load} />}
          {detail.run?.result && (
            <RunResult
              result={{
                ...detail.run.result,
                runId: r.id,
                outcome: r.outcome,
                error: r.error,
                stashId: null,
              }}
              heading="h3"
            />
          )}
          {detail.run && !detail.run.result && (
            <p className="muted small-text">This run returned nothing{r.error ? " (it failed)" : ""}.</p>
          )}
          {detail.run && <PropsUsed props={detail.run.configuredProps} />}
        </div>
      )}
    </li>
  );
}

function PropsUsed({ props }: { props: Record<string, unknown> }) {
  return (
    <details className="props-used">
      <summary>Configured props (secrets redacted)</summary>
      <pre tabIndex={0}>{JSON.stringify(props, null, 2)}</pre>
    </details>
  );
}
