/**
 * What the session user may read of received events: a paginated list, a
 * live Server-Sent Events stream, and "sync" (recover missed events from
 * Pipedream's event log now). The stream keeps no state between requests
 * and reads from the database, so it works when the app runs as many
 * instances; it resumes from `Last-Event-ID`. Recovered events reach it like
 * delivered ones.
 */
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { z } from "zod";
import {
  DeployedTriggerId,
  type EventsResponse,
  EventSyncRequest,
  type EventSyncResponse,
} from "../../shared/api.ts";
import { parseOr400, readJson } from "../http/validate.ts";
import type { AppEnv, RouteDeps } from "../routes/types.ts";
import { connectEventsAfter, eventsAfter, latestSeqs, listEvents } from "./store.ts";

const ListQuery = z.object({
  trigger: DeployedTriggerId.optional(),
  cursor: z.string().regex(/^\d{1,15}$/, "cursor must be a cursor from a previous page").optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
}).strict();

/** `Last-Event-ID` is `<event seq>.<connect seq>`. */
const Position = z.string().regex(/^\d{1,15}\.\d{1,15}$/);

export type StreamOptions = { pollMs?: number; heartbeatMs?: number; maxLifetimeMs?: number };

export function eventRoutes(deps: RouteDeps, opts: StreamOptions = {}) {
  const pollMs = opts.pollMs ?? 250;
  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  const maxLifetimeMs = opts.maxLifetimeMs ?? 10 * 60_000;

  return new Hono<AppEnv>()
    .get("/", async (c) => {
      const q = parseOr400(ListQuery, c.req.query());
      const rows = await listEvents(deps.db, c.get("externalUserId"), {
        triggerId: q.trigger,
        beforeSeq: q.cursor ? Number(q.cursor) : undefined,
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      const body: EventsResponse = {
        data: page.map(({ seq: _s, ...e }) => e),
        nextCursor: rows.length > q.limit ? String(page[page.length - 1].seq) : null,
      };
      return c.json(body);
    })
    .post("/sync", async (c) => {
      await readJson(c, EventSyncRequest);
      const userId = c.get("externalUserId");
      await deps.spend("eventSyncs", deps.limits.eventSyncs, userId);
      const result: EventSyncResponse = await deps.recovery.syncUser(userId);
      return c.json(result);
    })
    .get("/stream", async (c) => {
      const userId = c.get("externalUserId");
      const resume = c.req.header("last-event-id") ?? c.req.query("since");
      let pos: { events: number; connect: number };
      if (resume !== undefined) {
        const [e, k] = parseOr400(Position, resume).split(".").map(Number);
        pos = { events: e, connect: k };
      } else pos = await latestSeqs(deps.db, userId);
      c.header("Cache-Control", "no-store");
      c.header("X-Accel-Buffering", "no");
      return streamSSE(c, async (stream) => {
        const started = Date.now();
        let lastBeat = Date.now();
        const aborted = () => stream.aborted || stream.closed;
        await stream.writeSSE({
          event: "ready",
          data: JSON.stringify({ position: `${pos.events}.${pos.connect}` }),
          retry: 2000,
        });
        while (!aborted() && Date.now() - started < maxLifetimeMs) {
          const [events, accounts] = await Promise.all([
            eventsAfter(deps.db, userId, pos.events),
            connectEventsAfter(deps.db, userId, pos.connect),
          ]);
          for (const { seq, ...e } of events) {
            pos.events = seq;
            await stream.writeSSE({
              event: "pd-event",
              id: `${pos.events}.${pos.connect}`,
              data: JSON.stringify(e),
            });
          }
          for (const { seq, ...a } of accounts) {
            pos.connect = seq;
            await stream.writeSSE({
              event: "pd-account",
              id: `${pos.events}.${pos.connect}`,
              data: JSON.stringify(a),
            });
          }
          if (Date.now() - lastBeat >= heartbeatMs) {
            await stream.write(": heartbeat\n\n");
            lastBeat = Date.now();
          }
          await stream.sleep(pollMs);
        }
      });
    });
}
