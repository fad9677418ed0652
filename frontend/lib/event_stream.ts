/**
 * The user's live events: the stored recent ones, then whatever the server's
 * SSE stream sends (delivered and recovered events alike). EventSource
 * reconnects by itself and resumes from the last event id, so nothing is
 * missed across a blip; a message that is not JSON is skipped, not fatal.
 */
import { useEffect, useState } from "react";
import type { EventView } from "../../shared/api.ts";
import { api, messageOf } from "./api.ts";

export type AccountNotice = { type: string; accountId?: string; error?: string };

const KEEP = 100;

export function useEventStream(onAccount: (n: AccountNotice) => void) {
  const [events, setEvents] = useState<EventView[]>([]);
  const [connected, setConnected] = useState(false);
  const [error, setError] = useState<string>();
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    setError(undefined);
    const merge = (incoming: EventView[]) =>
      setEvents((prev) => {
        const seen = new Set(prev.map((e) => e.id));
        const fresh = incoming.filter((e) => !seen.has(e.id));
        return [...fresh, ...prev].slice(0, KEEP);
      });
    let current = true;
    api.events().then(
      (r) => current && merge(r.data),
      (err) => current && setError(`Could not load recent events: ${messageOf(err)}`),
    );
    const source = new EventSource("/api/events/stream");
    source.addEventListener("open", () => setConnected(true));
    source.addEventListener("error", () => setConnected(false));
    source.addEventListener("ready", () => setConnected(true));
    const parse = (e: Event) => {
      try {
        return JSON.parse((e as MessageEvent).data);
      } catch {
        return undefined;
      }
    };
    source.addEventListener("pd-event", (e) => {
      const event = parse(e) as EventView | undefined;
      if (event) merge([event]);
    });
    source.addEventListener("pd-account", (e) => {
      const notice = parse(e) as AccountNotice | undefined;
      if (notice) onAccount(notice);
    });
    return () => {
      current = false;
      source.close();
    };
  }, [attempt]);
  return { events, connected, error, retry: () => setAttempt((n) => n + 1) };
}
