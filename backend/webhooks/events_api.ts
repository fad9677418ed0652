/**
 * What the session user may read of received events: a paginated list, a
 * live Server-Sent Events stream, and "sync" (recover missed events from
 * Pipedream's event log now). The stream keeps no state between requests
 * and reads from the database, so it works when the app runs as many
 * instances; it resumes from `Last-Event-ID`. Recovered events reach it like
 * delivered ones. Every stream of an instance is fed by one shared poll loop
 * (live_feed.ts), and open streams are capped per session and per client
 * address (leases in the database, shared by every instance) and per
 * instance: beyond a cap, 429 with Retry-After.
 */
import { Hono } from "hono";
import { z } from "zod";
import {
  DeployedTriggerId,
  type EventsResponse,
  EventSyncRequest,
  type EventSyncResponse,
} from "../../shared/api.ts";
import { ApiError } from "../http/errors.ts";
import { sseBody } from "../http/sse.ts";
import { userOf } from "../http/session.ts";
import { parseOr400, readJson } from "../http/validate.ts";
import type { AppEnv, RouteDeps } from "../routes/types.ts";
import type { LiveFeed } from "./live_feed.ts";
import { latestSeqs, listEvents } from "./store.ts";
import { acquireLease, releaseLease } from "./stream_leases.ts";

const ListQuery = z.object({
  trigger: DeployedTriggerId.optional(),
  cursor: z.string().regex(/^\d{1,15}$/, "cursor must be a cursor from a previous page").optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
}).strict();

/** `Last-Event-ID` is `<event seq>.<connect seq>`. */
const Position = z.string().regex(/^\d{1,15}\.\d{1,15}$/);

const tooManyStreams = (who: string) =>
  new ApiError(
    429,
    "too_many_streams",
    `Too many live streams open ${who}; close one (another tab?) first.`,
    {
      "Retry-After": "30",
    },
  );

/** `instance` names this process's stream leases (renewed together by the feed). */
export function eventRoutes(deps: RouteDeps, feed: LiveFeed, instance: string) {
  return new Hono<AppEnv>()
    .get("/", async (c) => {
      const q = parseOr400(ListQuery, c.req.query());
      const rows = await listEvents(deps.db, userOf(c), {
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
      const userId = userOf(c);
      await deps.limit(c, "eventSyncs");
      const result: EventSyncResponse = await deps.recovery.syncUser(userId);
      return c.json(result);
    })
    .get("/stream", async (c) => {
      const userId = userOf(c);
      await deps.limit(c, "streamOpens");
      const resume = c.req.header("last-event-id") ?? c.req.query("since");
      let pos: { events: number; connect: number };
      if (resume !== undefined) {
        const [e, k] = parseOr400(Position, resume).split(".").map(Number);
        pos = { events: e, connect: k };
      } else pos = await latestSeqs(deps.db, userId);
      const leaseId = crypto.randomUUID();
      const leased = await acquireLease(
        deps.db,
        {
          id: leaseId,
          instance,
          externalUserId: userId,
          address: c.get("clientAddress"),
        },
        { perUser: deps.limits.streams.perSession, perAddress: deps.limits.streams.perAddress },
        deps.clock.now(),
      );
      if (leased === "user_cap") throw tooManyStreams("for this session");
      if (leased === "address_cap") throw tooManyStreams("from this address");
      let sub;
      try {
        sub = await feed.open(userId, pos);
      } catch (err) {
        await releaseLease(deps.db, leaseId);
        throw err;
      }
      c.header("Content-Type", "text/event-stream");
      c.header("Cache-Control", "no-store");
      c.header("X-Accel-Buffering", "no");
      const body = sseBody(async (stream) => {
        try {
          await stream.send({
            event: "ready",
            data: JSON.stringify({ position: `${pos.events}.${pos.connect}` }),
            retry: 2000,
          });
          for (;;) {
            const next = await sub.next();
            if (next === "end" || stream.closed) break;
            if (next === "heartbeat") {
              await stream.heartbeat();
              continue;
            }
            for (const item of next) {
              await stream.send({
                event: item.kind === "event" ? "pd-event" : "pd-account",
                id: item.id,
                data: JSON.stringify(item.data),
              });
            }
          }
        } finally {
          sub.close();
          await releaseLease(deps.db, leaseId).catch(() => {});
        }
      }, () => sub.close());
      return c.body(body);
    });
}
