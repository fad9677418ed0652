import type { RunRecord } from "../../shared/api.ts";
import type { Async } from "../lib/use_async.ts";
import { ErrorNote, formatDate, Spinner } from "./common.tsx";
import { OutcomeBadge } from "./RunResult.tsx";

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
        <table className="runs">
          <thead>
            <tr>
              <th scope="col">Action</th>
              <th scope="col">When</th>
              <th scope="col">Took</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.map((r) => (
              <tr key={r.id}>
                <td>
                  <code>{r.componentKey}</code>
                </td>
                <td>{formatDate(r.startedAt)}</td>
                <td>{r.durationMs} ms</td>
                <td>
                  <OutcomeBadge outcome={r.outcome} title={r.error} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
