/**
 * Named queries over received events. Writes are statement lists that run in
 * one transaction (the group commit batch, or recovery's batch), each guarded
 * so that whichever of a delivery and the recovery of the same event commits
 * second finds the first and adds no row.
 */
import type { InStatement } from "@libsql/client";
import type { EventView } from "../../shared/api.ts";
import type { Db } from "../database/db.ts";
import type { RowSink } from "../database/group_commit.ts";
import { contentHash } from "./content_hash.ts";
import type { JournaledDelivery } from "./journal_format.ts";

/**
 * How a delivery's signed `t` relates to its event's `ts` in Pipedream's log:
 * it is signed just after the emit (`t` is whole seconds, hence a little
 * skew) and may wait in Pipedream's queue. Within this window, equal content
 * pairs a delivery with a log entry.
 */
export const PAIRING_WINDOW = { skewMs: 5_000, lagMs: 5 * 60_000 };

export type DeliveredEvent = {
  deploymentId: string;
  externalUserId: string;
  contentHash: string;
  /**
   * `<deployment>:<t>:<matching signature>` (deliveryKey()): names this signed delivery, so a replay
   * adds nothing.
   */
  deliveryKey: string;
  /** The signature's `t`, in ms. */
  emittedAt: number;
  receivedAt: string;
  event: string;
};

/**
 * How a delivery claims the row recovery made of the same event before the
 * delivery came: the nearest recovered row of equal content within the
 * pairing window that no delivery has claimed yet. It runs in the database,
 * as a trigger on every delivered row (schema.ts installs it), so storing a
 * delivery stays one INSERT, however many share a commit: the claimed row
 * takes the delivery's key and the delivery adds no row of its own. A replay
 * (its key is stored already) claims nothing.
 *
 * The window is written into the trigger: changing PAIRING_WINDOW needs a
 * migration that drops and recreates it (schema_test fails until there is one).
 */
export function claimTriggerSql(window = PAIRING_WINDOW): string {
  // INDEXED BY: left to itself, the planner reads `delivery_key IS NULL` with the delivery key's index.
  const claimable =
    `FROM webhook_events INDEXED BY webhook_events_unclaimed WHERE deployment_id = NEW.deployment_id
      AND content_hash = NEW.content_hash AND source = 'recovered' AND delivery_key IS NULL
      AND emitted_at BETWEEN NEW.emitted_at - ${window.lagMs} AND NEW.emitted_at + ${window.skewMs}`;
  return `CREATE TRIGGER webhook_events_claim BEFORE INSERT ON webhook_events
  WHEN NEW.source = 'webhook'
    AND NOT EXISTS (SELECT 1 FROM webhook_events WHERE delivery_key = NEW.delivery_key)
    AND EXISTS (SELECT 1 ${claimable})
  BEGIN
    UPDATE webhook_events SET delivery_key = NEW.delivery_key WHERE seq = (
      SELECT seq ${claimable} ORDER BY ABS(emitted_at - NEW.emitted_at), seq LIMIT 1);
    SELECT RAISE(IGNORE);
  END`;
}

/**
 * The key of a signed delivery. The signature alone names it (a replay
 * carries the same one); `t` first keeps the unique index in the order
 * deliveries arrive, so storing one touches the pages the last ones did
 * instead of a random page of the whole index.
 */
export function deliveryKey(deploymentId: string, t: number, signature: string): string {
  return `${deploymentId}:${t}:${signature}`;
}

/**
 * Delivered events, in one statement: each is a new row, unless its signed
 * delivery is stored already (a replay: nothing), it claims its recovered
 * row (see claimTriggerSql), or its deployment's owner has been forgotten
 * since it was verified ("Forget me" deletes the deployments: a delivery
 * stored after that, from the journal, must not bring the user back). A
 * statement costs far more than a row, so the group commit and the journal's
 * import put every delivery they hold into one.
 */
export function deliveredEventsStatement(events: DeliveredEvent[]): InStatement {
  const row = "(?, ?, ?, ?, ?, ?, ?)";
  return {
    sql: `INSERT INTO webhook_events
      (deployment_id, external_user_id, content_hash, delivery_key, source, emitted_at, received_at, event)
      SELECT column1, column2, column3, column4, 'webhook', column5, column6, column7
      FROM (VALUES ${events.map(() => row).join(", ")}) AS delivered
      WHERE EXISTS (SELECT 1 FROM deployed_triggers
        WHERE id = delivered.column1 AND external_user_id = delivered.column2)
      ON CONFLICT (delivery_key) DO NOTHING`,
    args: events.flatMap((e) => [
      e.deploymentId,
      e.externalUserId,
      e.contentHash,
      e.deliveryKey,
      e.emittedAt,
      e.receivedAt,
      e.event,
    ]),
  };
}

/** A verified delivery as the row it becomes (in the request with the group commit, or in the journal's import). */
export function deliveredEvent(d: JournaledDelivery, event: unknown): DeliveredEvent {
  return {
    deploymentId: d.deploymentId,
    externalUserId: d.externalUserId,
    contentHash: contentHash(event),
    deliveryKey: deliveryKey(d.deploymentId, d.t, d.signature),
    emittedAt: d.t * 1000,
    receivedAt: new Date(d.receivedAt).toISOString(),
    event: d.eventText,
  };
}

/** What the group commit merges delivered events with (one INSERT per commit). */
export const deliveredEvents: RowSink<DeliveredEvent> = {
  key: "webhook_events:delivered",
  statement: deliveredEventsStatement,
};

export type LoggedEvent = {
  deploymentId: string;
  externalUserId: string;
  /** `EmittedEvent.id` in Pipedream's log. */
  logEventId: string;
  contentHash: string;
  /** `EmittedEvent.ts` (ms). */
  emittedAt: number;
  receivedAt: string;
  summary?: string;
  event: string;
};

/**
 * Log entries, in one transaction: each pairs with its delivered row if there
 * is one, the others are stored as recovered. Pairing goes newest entry first,
 * each taking the nearest unpaired delivery signed at or after its emit, so a
 * run of equal-content events pairs each delivery with the entry it came
 * from; recovered rows are then inserted oldest first.
 */
export function loggedEventStatements(entries: LoggedEvent[]): InStatement[] {
  const { skewMs, lagMs } = PAIRING_WINDOW;
  const oldestFirst = [...entries].sort((a, b) =>
    a.emittedAt - b.emittedAt || a.logEventId.localeCompare(b.logEventId)
  );
  const pair = (e: LoggedEvent): InStatement => ({
    sql: `UPDATE webhook_events SET log_event_id = ?1, summary = COALESCE(summary, ?2) WHERE seq = (
      SELECT seq FROM webhook_events WHERE deployment_id = ?3 AND content_hash = ?4 AND log_event_id IS NULL
        AND emitted_at BETWEEN ?5 - ?6 AND ?5 + ?7
        AND NOT EXISTS (SELECT 1 FROM webhook_events WHERE deployment_id = ?3 AND log_event_id = ?1)
      ORDER BY ABS(emitted_at - ?5), seq LIMIT 1)`,
    args: [e.logEventId, e.summary ?? null, e.deploymentId, e.contentHash, e.emittedAt, skewMs, lagMs],
  });
  const recover = (e: LoggedEvent): InStatement => ({
    sql: `INSERT INTO webhook_events (deployment_id, external_user_id, content_hash, log_event_id, source,
      emitted_at, received_at, summary, event)
      SELECT ?1, ?2, ?3, ?4, 'recovered', ?5, ?6, ?7, ?8
      WHERE NOT EXISTS (SELECT 1 FROM webhook_events WHERE deployment_id = ?1 AND log_event_id = ?4)`,
    args: [
      e.deploymentId,
      e.externalUserId,
      e.contentHash,
      e.logEventId,
      e.emittedAt,
      e.receivedAt,
      e.summary ?? null,
      e.event,
    ],
  });
  return [...oldestFirst.toReversed().map(pair), ...oldestFirst.map(recover)];
}

/** Which of these log ids a deployment already has (paired or recovered). */
export async function knownLogEventIds(db: Db, deploymentId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rs = await db.execute({
    sql: `SELECT log_event_id FROM webhook_events WHERE deployment_id = ? AND log_event_id IN (${
      ids.map(() => "?").join(",")
    })`,
    args: [deploymentId, ...ids],
  });
  return new Set(rs.rows.map((r) => String(r.log_event_id)));
}

/** Trims a deployment's events to its newest `keep` (keyed, so one commit runs it once; see TrimSchedule). */
export function retentionStatement(deploymentId: string, keep: number): [string, InStatement] {
  return [`retention:${deploymentId}`, {
    sql: `DELETE FROM webhook_events WHERE deployment_id = ?1 AND seq <= (
      SELECT seq FROM webhook_events WHERE deployment_id = ?1 ORDER BY seq DESC LIMIT 1 OFFSET ?2)`,
    args: [deploymentId, keep],
  }];
}

export type NewConnectEvent = {
  bodyHash: string;
  externalUserId: string;
  type: "CONNECTION_SUCCESS" | "CONNECTION_ERROR";
  accountId: string | null;
  error: string | null;
  receivedAt: string;
};

export function connectEventStatements(e: NewConnectEvent): InStatement[] {
  return [{
    sql: `INSERT INTO connect_events (body_hash, external_user_id, type, account_id, error, received_at)
      VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    args: [e.bodyHash, e.externalUserId, e.type, e.accountId, e.error, e.receivedAt],
  }];
}

function toView(r: Record<string, unknown>): EventView & { seq: number } {
  return {
    seq: Number(r.seq),
    id: `ev_${r.seq}`,
    triggerId: String(r.deployment_id),
    triggerName: String(r.trigger_name),
    emittedAt: new Date(Number(r.emitted_at)).toISOString(),
    receivedAt: String(r.received_at),
    source: r.source === "recovered" ? "recovered" : "webhook",
    ...(r.summary == null ? {} : { summary: String(r.summary) }),
    event: JSON.parse(String(r.event)),
  };
}

const SELECT_VIEW =
  `SELECT e.seq, e.deployment_id, t.name AS trigger_name, e.emitted_at, e.received_at, e.source,
  e.summary, e.event FROM webhook_events e JOIN deployed_triggers t ON t.id = e.deployment_id AND t.deleted_at IS NULL`;

/** The user's events, newest first, before `beforeSeq`; only from deployments still live. */
export async function listEvents(
  db: Db,
  externalUserId: string,
  opts: { triggerId?: string; beforeSeq?: number; limit: number },
): Promise<Array<EventView & { seq: number }>> {
  const rs = await db.execute({
    sql: `${SELECT_VIEW}
      WHERE e.external_user_id = ?1 AND (?2 IS NULL OR e.deployment_id = ?2) AND (?3 IS NULL OR e.seq < ?3)
      ORDER BY e.seq DESC LIMIT ?4`,
    args: [externalUserId, opts.triggerId ?? null, opts.beforeSeq ?? null, opts.limit],
  });
  return rs.rows.map((r) => toView(r as Record<string, unknown>));
}

/** Events after `afterSeq`, oldest first (the live stream). */
export async function eventsAfter(db: Db, externalUserId: string, afterSeq: number, limit = 100) {
  const rs = await db.execute({
    sql: `${SELECT_VIEW} WHERE e.external_user_id = ? AND e.seq > ? ORDER BY e.seq LIMIT ?`,
    args: [externalUserId, afterSeq, limit],
  });
  return rs.rows.map((r) => toView(r as Record<string, unknown>));
}

export async function connectEventsAfter(db: Db, externalUserId: string, afterSeq: number, limit = 100) {
  const rs = await db.execute({
    sql: `SELECT seq, type, account_id, error FROM connect_events WHERE external_user_id = ? AND seq > ?
      ORDER BY seq LIMIT ?`,
    args: [externalUserId, afterSeq, limit],
  });
  return rs.rows.map((r) => ({
    seq: Number(r.seq),
    type: String(r.type),
    ...(r.account_id == null ? {} : { accountId: String(r.account_id) }),
    ...(r.error == null ? {} : { error: String(r.error) }),
  }));
}

export async function latestSeqs(
  db: Db,
  externalUserId: string,
): Promise<{ events: number; connect: number }> {
  const rs = await db.execute({
    sql: `SELECT (SELECT COALESCE(MAX(seq), 0) FROM webhook_events WHERE external_user_id = ?1) AS events,
      (SELECT COALESCE(MAX(seq), 0) FROM connect_events WHERE external_user_id = ?1) AS connect`,
    args: [externalUserId],
  });
  return { events: Number(rs.rows[0].events), connect: Number(rs.rows[0].connect) };
}

// ---------------------------------------------------------------- the shared live feed (live_feed.ts)

/**
 * Every user's events after `afterSeq`, oldest first, with their owner: one
 * query feeds every open stream. Events of deleted deployments come back
 * marked, so the cursor moves past them without showing them.
 */
export async function allEventsAfter(db: Db, afterSeq: number, limit: number) {
  const rs = await db.execute({
    sql: `SELECT e.seq, e.deployment_id, t.name AS trigger_name, e.emitted_at, e.received_at, e.source,
      e.summary, e.event, e.external_user_id, t.id IS NOT NULL AS live FROM webhook_events e
      LEFT JOIN deployed_triggers t ON t.id = e.deployment_id AND t.deleted_at IS NULL
      WHERE e.seq > ? ORDER BY e.seq LIMIT ?`,
    args: [afterSeq, limit],
  });
  return rs.rows.map((r) => ({
    ...toView(r as Record<string, unknown>),
    externalUserId: String(r.external_user_id),
    live: Number(r.live) === 1,
  }));
}

export async function allConnectEventsAfter(db: Db, afterSeq: number, limit: number) {
  const rs = await db.execute({
    sql: `SELECT seq, external_user_id, type, account_id, error FROM connect_events WHERE seq > ?
      ORDER BY seq LIMIT ?`,
    args: [afterSeq, limit],
  });
  return rs.rows.map((r) => ({
    seq: Number(r.seq),
    externalUserId: String(r.external_user_id),
    type: String(r.type),
    ...(r.account_id == null ? {} : { accountId: String(r.account_id) }),
    ...(r.error == null ? {} : { error: String(r.error) }),
  }));
}

/** The newest sequence numbers of all users' events. */
export async function newestSeqs(db: Db): Promise<{ events: number; connect: number }> {
  const rs = await db.execute(
    `SELECT (SELECT COALESCE(MAX(seq), 0) FROM webhook_events) AS events,
      (SELECT COALESCE(MAX(seq), 0) FROM connect_events) AS connect`,
  );
  return { events: Number(rs.rows[0].events), connect: Number(rs.rows[0].connect) };
}

/** Everything stored here about one user's events ("Forget me"). */
export function forgetUserEventStatements(externalUserId: string): InStatement[] {
  return [
    { sql: "DELETE FROM webhook_events WHERE external_user_id = ?", args: [externalUserId] },
    { sql: "DELETE FROM connect_events WHERE external_user_id = ?", args: [externalUserId] },
  ];
}
