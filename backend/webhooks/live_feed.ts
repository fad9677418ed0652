/**
 * One poll loop per instance feeds every open event stream: each tick reads
 * the events received since the last one (all users, one query per table)
 * and hands each to the streams of its user. A thousand idle streams cost
 * what one does; the loop stops when no stream is open.
 *
 * It reads from the database, so an event received by any instance reaches
 * streams open on every instance. A stream that resumes (Last-Event-ID)
 * first reads its own backlog, then takes the loop's events after it.
 */
import { ApiError } from "../http/errors.ts";
import type { Db } from "../database/db.ts";
import {
  allConnectEventsAfter,
  allEventsAfter,
  connectEventsAfter,
  eventsAfter,
  newestSeqs,
} from "./store.ts";

export type Position = { events: number; connect: number };

export type FeedItem =
  | { kind: "event"; seq: number; data: Record<string, unknown> }
  | { kind: "account"; seq: number; data: Record<string, unknown> };

/** An item to send, with the position after it (its SSE id). */
export type Outgoing = FeedItem & { id: string };

/** What a stream waits for: items to send, a heartbeat to send, or the end. */
export type FeedSignal = Outgoing[] | "heartbeat" | "end";

export type LiveFeedOptions = {
  pollMs?: number;
  heartbeatMs?: number;
  /** A stream ends after this long; the browser reconnects (and resumes). */
  maxLifetimeMs?: number;
  /** Open streams on this instance at once. */
  maxStreams: number;
  /** Called every `maintainMs` while streams are open (lease renewal). */
  maintain?: () => Promise<void>;
  maintainMs?: number;
};

const PAGE = 500;
/** Pages read per tick at most: a burst larger than this is read over the next ticks. */
const MAX_PAGES_PER_TICK = 10;
/** Items a slow stream may have waiting; beyond that it ends, and resumes from the database. */
const MAX_BUFFERED = 1000;

/** One open stream: what it has sent up to (`position`), and what waits to be sent. */
export class Subscription {
  #early: FeedItem[] = [];
  #queue: Outgoing[] = [];
  #signal: "heartbeat" | "end" | undefined;
  #wake: (() => void) | undefined;
  #ready = false;
  readonly openedAt = Date.now();

  constructor(
    readonly userId: string,
    readonly position: Position,
    private onClose: (s: Subscription) => void,
  ) {}

  /** An item from the shared loop; held back until the backlog is queued. */
  push(item: FeedItem): void {
    if (this.#ready) this.accept(item);
    else this.#early.push(item);
  }

  /** Queues an item unless it is not newer than the position (each item is sent once). */
  accept(item: FeedItem): void {
    const key = item.kind === "event" ? "events" : "connect";
    if (item.seq <= this.position[key]) return;
    this.position[key] = item.seq;
    this.#queue.push({ ...item, id: `${this.position.events}.${this.position.connect}` });
    if (this.#queue.length > MAX_BUFFERED) this.#signal = "end";
    this.#wakeUp();
  }

  /** The backlog is queued (through `accept`): the loop's items follow it. */
  ready(): void {
    this.#ready = true;
    for (const item of this.#early.splice(0)) this.accept(item);
  }

  signal(s: "heartbeat" | "end"): void {
    if (this.#signal !== "end") this.#signal = s;
    this.#wakeUp();
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /** Waits for something to send. */
  async next(): Promise<FeedSignal> {
    for (;;) {
      if (this.#signal === "end") return "end";
      if (this.#queue.length) return this.#queue.splice(0);
      if (this.#signal === "heartbeat") {
        this.#signal = undefined;
        return "heartbeat";
      }
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  close(): void {
    this.onClose(this);
  }
}

export class LiveFeed {
  #byUser = new Map<string, Set<Subscription>>();
  #count = 0;
  /** Where the loop has read up to (all users); set when the first stream opens. */
  #cursor: Promise<Position> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastBeat = Date.now();
  #lastMaintain = Date.now();
  #ticking: Promise<void> | undefined;
  #closed = false;
  readonly pollMs: number;
  readonly heartbeatMs: number;
  readonly maxLifetimeMs: number;
  /** Ticks run and poll queries made (tests and benchmarks: queries per tick do not grow with streams). */
  ticks = 0;
  queries = 0;

  constructor(private db: Db, private opts: LiveFeedOptions) {
    this.pollMs = opts.pollMs ?? 250;
    this.heartbeatMs = opts.heartbeatMs ?? 15_000;
    this.maxLifetimeMs = opts.maxLifetimeMs ?? 10 * 60_000;
  }

  get openStreams(): number {
    return this.#count;
  }

  /**
   * Opens a stream for a user from a position: its backlog (events after the
   * position) is queued first. 429 when the instance is at its cap.
   */
  async open(userId: string, position: Position): Promise<Subscription> {
    if (this.#count >= this.opts.maxStreams) {
      throw new ApiError(
        429,
        "too_many_streams",
        "This server has as many live streams open as it can take.",
        {
          "Retry-After": "30",
        },
      );
    }
    const sub = new Subscription(userId, { ...position }, (s) => this.#remove(s));
    let set = this.#byUser.get(userId);
    if (!set) this.#byUser.set(userId, set = new Set());
    set.add(sub);
    this.#count++;
    try {
      this.#cursor ??= newestSeqs(this.db).catch((err) => {
        this.#cursor = undefined;
        throw err;
      });
      await this.#cursor;
      // The backlog up to now; the loop delivers everything after its cursor, and the overlap is dropped.
      await this.#backlog(sub);
      sub.ready();
    } catch (err) {
      sub.close();
      throw err;
    }
    this.#schedule();
    return sub;
  }

  async #backlog(sub: Subscription): Promise<void> {
    for (let after = sub.position.events;;) {
      const rows = await eventsAfter(this.db, sub.userId, after, PAGE);
      for (const { seq, ...e } of rows) sub.accept({ kind: "event", seq, data: e });
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1].seq;
    }
    for (let after = sub.position.connect;;) {
      const rows = await connectEventsAfter(this.db, sub.userId, after, PAGE);
      for (const { seq, ...a } of rows) sub.accept({ kind: "account", seq, data: a });
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1].seq;
    }
  }

  #remove(sub: Subscription): void {
    const set = this.#byUser.get(sub.userId);
    if (!set?.delete(sub)) return;
    this.#count--;
    if (!set.size) this.#byUser.delete(sub.userId);
    sub.signal("end");
    if (this.#count === 0) {
      // Nothing to feed: stop, and start again from the newest events when a stream opens.
      clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#cursor = undefined;
    }
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#closed || this.#count === 0) return;
    this.#timer = setTimeout(() => {
      this.#ticking = this.#tick()
        .catch((err) => console.error("live feed: poll failed:", (err as Error).message))
        .finally(() => {
          this.#timer = undefined;
          this.#ticking = undefined;
          this.#schedule();
        });
    }, this.pollMs);
  }

  async #tick(): Promise<void> {
    if (!this.#cursor) return;
    const cursor = await this.#cursor;
    this.ticks++;
    for (let page = 0; page < MAX_PAGES_PER_TICK; page++) {
      this.queries += 2;
      const [events, accounts] = await Promise.all([
        allEventsAfter(this.db, cursor.events, PAGE),
        allConnectEventsAfter(this.db, cursor.connect, PAGE),
      ]);
      for (const { seq, externalUserId, live, ...e } of events) {
        cursor.events = seq;
        if (!live) continue;
        for (const sub of this.#byUser.get(externalUserId) ?? []) sub.push({ kind: "event", seq, data: e });
      }
      for (const { seq, externalUserId, ...a } of accounts) {
        cursor.connect = seq;
        for (const sub of this.#byUser.get(externalUserId) ?? []) sub.push({ kind: "account", seq, data: a });
      }
      if (events.length < PAGE && accounts.length < PAGE) break;
    }
    const now = Date.now();
    const beat = now - this.#lastBeat >= this.heartbeatMs;
    if (beat) this.#lastBeat = now;
    for (const set of this.#byUser.values()) {
      for (const sub of set) {
        if (now - sub.openedAt >= this.maxLifetimeMs) sub.signal("end");
        else if (beat) sub.signal("heartbeat");
      }
    }
    if (this.opts.maintain && now - this.#lastMaintain >= (this.opts.maintainMs ?? 20_000)) {
      this.#lastMaintain = now;
      await this.opts.maintain();
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#ticking;
    for (const set of [...this.#byUser.values()]) for (const sub of [...set]) sub.close();
  }
}
