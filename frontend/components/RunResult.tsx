/** What an action run returned: its summary, `ret`, `exports` and the log lines (`os`), each copyable. */
import type { RunActionResponse, RunOutcome } from "../../shared/api.ts";
import { CopyButton, Json } from "./common.tsx";

type Observation = RunActionResponse["os"][number];

function logText(o: Observation): string {
  const err = o.err as { name?: string; message?: string } | undefined;
  if (err) return `${err.name ?? "Error"}: ${err.message ?? JSON.stringify(err)}`;
  return o.msg ?? "";
}

function time(ts: number): string {
  return new Date(ts).toLocaleTimeString(undefined, {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    fractionalSecondDigits: 3,
    hour12: false,
  });
}

const OUTCOME: Record<RunOutcome, { label: string; className: string }> = {
  success: { label: "Success", className: "badge ok" },
  error: { label: "Failed", className: "badge bad" },
  pending: { label: "Pending", className: "badge" },
  running: { label: "Running…", className: "badge" },
  // Sent, but no clear answer was recorded: it may have run.
  unknown: { label: "Outcome unknown", className: "badge warn" },
};

/** How a run ended, as a badge (the run history uses it too). */
export function OutcomeBadge({ outcome, title }: { outcome: RunOutcome; title?: string }) {
  return <span className={OUTCOME[outcome].className} title={title}>{OUTCOME[outcome].label}</span>;
}

function headline(result: RunActionResponse): string {
  if (result.outcome === "pending") return "Pipedream accepted the run; its result is not available yet.";
  if (result.outcome === "error") return result.error ?? "The action failed.";
  const summary = result.exports.$summary;
  return typeof summary === "string" ? summary : "The action ran.";
}

export function RunResult(
  { result, heading = "h3" }: { result: RunActionResponse; heading?: "h3" | "h4" },
) {
  const Heading = heading;
  return (
    <div className="result" data-testid="run-result">
      <Heading>Result</Heading>
      {result.warning && <p className="error-note" role="status">{result.warning}</p>}
      <p className="result-summary" role={result.outcome === "error" ? "alert" : undefined}>
        <OutcomeBadge outcome={result.outcome} /> {headline(result)}{" "}
        <span className="muted small-text">
          run <code>{result.runId}</code>
        </span>
      </p>
      <Json label="ret" value={result.ret} />
      <Json label="exports" value={result.exports} />
      <figure className="json">
        <figcaption>
          <span>logs (os) · {result.os.length} line{result.os.length === 1 ? "" : "s"}</span>
          <CopyButton text={JSON.stringify(result.os, null, 2)} />
        </figcaption>
        {result.os.length === 0
          ? <p className="muted small-text">The action logged nothing.</p>
          : (
            <ol className="logs" tabIndex={0} aria-label="Run logs">
              {result.os.map((o, i) => (
                <li key={i} className={o.err || o.k === "error" ? "log-error" : ""}>
                  <time>{time(o.ts)}</time> <span className="log-kind">{o.k}</span> <span>{logText(o)}</span>
                </li>
              ))}
            </ol>
          )}
      </figure>
    </div>
  );
}
