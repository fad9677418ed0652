/**
 * The live feed of the user's trigger events, from the server's SSE stream.
 * Events are whatever a trigger emitted (any JSON, possibly huge or hostile),
 * so each is shown by a bounded viewer, built only when opened, inside an
 * error boundary: one bad event never blanks the page. "Sync" asks the server
 * to fetch events whose delivery never arrived from Pipedream's event log;
 * they come in through the stream, marked "recovered".
 */
import { Component, type ReactNode, useMemo, useState } from "react";
import type { EventSyncResponse, EventView } from "../../shared/api.ts";
import { api, messageOf } from "../lib/api.ts";
import { boundedJson, DEFAULT_BOUNDS, PREVIEW_BOUNDS, scaled } from "../lib/bounded_json.ts";
import { ErrorNote, formatDate } from "./common.tsx";

const MAX_SUMMARY = 160;

class EventBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    return this.state.failed
      ? <p className="muted">This event could not be displayed.</p>
      : this.props.children;
  }
}

function EventBody({ value }: { value: unknown }) {
  const [scale, setScale] = useState(1);
  const { text, truncated } = boundedJson(value, scaled(DEFAULT_BOUNDS, scale));
  return (
    <>
      <pre tabIndex={0}>{text}</pre>
      {truncated && (
        <button type="button" className="link" onClick={() => setScale((s) => s * 4)}>
          Show more
        </button>
      )}
    </>
  );
}

function EventItem({ event }: { event: EventView }) {
  const [open, setOpen] = useState(false);
  // Deliveries carry no summary (the log's is added when recovery pairs them): show a glimpse instead.
  const preview = useMemo(
    () => event.summary === undefined ? boundedJson(event.event, PREVIEW_BOUNDS, { pretty: false }).text : "",
    [event],
  );
  const summary = event.summary && event.summary.length > MAX_SUMMARY
    ? `${event.summary.slice(0, MAX_SUMMARY)}…`
    : event.summary;
  return (
    <details onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>
        {summary === undefined
          ? <code className="event-preview">{preview}</code>
          : <strong className="event-title">{summary}</strong>}
        <span className="muted small-text">
          {event.triggerName} · {formatDate(event.emittedAt)}
        </span>
        {event.source === "recovered" && (
          <span
            className="badge recovered"
            title="Its webhook delivery never arrived; fetched from Pipedream's event log"
          >
            recovered
          </span>
        )}
      </summary>
      {open && <EventBody value={event.event} />}
    </details>
  );
}

function syncNotice(r: EventSyncResponse): string {
  const triggers = `${r.deployments} trigger${r.deployments === 1 ? "" : "s"}`;
  const got = r.recovered === 0
    ? `Nothing missed on ${triggers}.`
    : `Recovered ${r.recovered} missed event${r.recovered === 1 ? "" : "s"} from ${triggers}.`;
  return r.failed === 0 ? got : `${got} Pipedream could not be reached for ${r.failed}; try again later.`;
}

/** "Sync": recover missed events now; the notice says how it went. */
function useSync() {
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ ok: boolean; text: string }>();
  const sync = async () => {
    setBusy(true);
    setNotice(undefined);
    try {
      setNotice({ ok: true, text: syncNotice(await api.syncEvents()) });
    } catch (err) {
      setNotice({ ok: false, text: `Sync failed: ${messageOf(err)}` });
    } finally {
      setBusy(false);
    }
  };
  return { busy, notice, sync };
}

export function EventFeed(
  { events, connected, error, onRetry }: {
    events: EventView[];
    connected: boolean;
    error?: string;
    onRetry: () => void;
  },
) {
  const { busy, notice, sync } = useSync();
  return (
    <section className="card" aria-labelledby="feed-title">
      <div className="card-head">
        <h2 id="feed-title">Live events</h2>
        <span className={`badge ${connected ? "ok" : "bad"}`} role="status">
          {connected ? "Live" : "Reconnecting…"}
        </span>
        <button
          type="button"
          className="small sync"
          onClick={sync}
          disabled={busy}
          title="Fetch events whose delivery never arrived from Pipedream's event log"
        >
          {busy ? "Syncing…" : "Sync"}
        </button>
      </div>
      {notice && (
        <p className={`sync-notice${notice.ok ? "" : " bad"}`} role="status">
          {notice.text}
        </p>
      )}
      {error && <ErrorNote message={error} onRetry={onRetry} />}
      {events.length === 0
        ? <p className="muted">No events yet. Deploy a trigger; its events appear here as they arrive.</p>
        : (
          <EventBoundary>
            <ol className="events" aria-live="polite" aria-relevant="additions">
              {events.map((e) => (
                <li key={e.id} data-testid="event">
                  <EventBoundary>
                    <EventItem event={e} />
                  </EventBoundary>
                </li>
              ))}
            </ol>
          </EventBoundary>
        )}
    </section>
  );
}
