/** What an action run returned: its summary, `ret`, `exports` and the log lines (`os`), each copyable. */
import type { RunActionResponse } from "../../shared/api.ts";
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

export function RunResult({ result }: { result: RunActionResponse }) {
  const summary = result.exports.$summary;
  return (
    <div className="result" data-testid="run-result">
      <h3>Result</h3>
      <p className="result-summary">
        <span className="badge ok">Success</span> {typeof summary === "string" ? summary : "The action ran."}
        {" "}
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
