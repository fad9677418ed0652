/** The live feed of the user's trigger events, from the server's SSE stream. */
import type { EventView } from "../../shared/api.ts";
import { ErrorNote, formatDate } from "./common.tsx";

export function EventFeed(
  { events, connected, error, onRetry }: {
    events: EventView[];
    connected: boolean;
    error?: string;
    onRetry: () => void;
  },
) {
  return (
    <section className="card" aria-labelledby="feed-title">
      <div className="card-head">
        <h2 id="feed-title">Live events</h2>
        <span className={`badge ${connected ? "ok" : "bad"}`} role="status">
          {connected ? "Live" : "Reconnecting…"}
        </span>
      </div>
      {error && <ErrorNote message={error} onRetry={onRetry} />}
      {events.length === 0
        ? <p className="muted">No events yet. Deploy a trigger; its events appear here as they arrive.</p>
        : (
          <ol className="events" aria-live="polite" aria-relevant="additions">
            {events.map((e) => (
              <li key={`${e.triggerId}:${e.id}`} data-testid="event">
                <details>
                  <summary>
                    <strong>{e.summary ?? "Event"}</strong>
                    <span className="muted small-text">{formatDate(e.receivedAt)} · {e.triggerId}</span>
                  </summary>
                  <pre tabIndex={0}>{JSON.stringify(e.event, null, 2)}</pre>
                </details>
              </li>
            ))}
          </ol>
        )}
    </section>
  );
}
