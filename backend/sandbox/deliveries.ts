/**
 * Webhook deliveries, as Pipedream was observed to make them: queued in the
 * database (so emitting never waits on the receiver), signed when sent, and
 * sent once. A receiver that fails or is down misses the event; it is still
 * in the deployment's event log (`listEvents`). Delivery faults (faults.ts)
 * drop, duplicate or retry deliveries, and sign Connect webhooks.
 */
import type { Db } from "../database/db.ts";
import type { Clock } from "../lib/clock.ts";
import { signatureHeaders } from "../lib/webhook_format.ts";
import type { Faults } from "./faults.ts";

export type NewDelivery = {
  deliveryId: string;
  deploymentId?: string;
  url: string;
  body: string;
  /** Trigger deliveries are signed with the deployment's key; Connect webhooks are not (null). */
  signingKey: string | null;
  headers?: Record<string, string>;
};

const BATCH = 50;
const TIMEOUT_MS = 10_000;

export class Deliveries {
  #running: Promise<void> | undefined;
  #again = false;
  #closed = false;

  constructor(
    private db: Db,
    private clock: Clock,
    private fetchFn: typeof fetch,
    /** Backoff between attempts when the `retry` fault is on. */
    private retryDelaysMs: number[],
    private faults: Faults,
  ) {}

  /** Whether the `sign` fault asks for this Connect webhook to be signed. */
  signsConnectWebhook(url: string): boolean {
    return this.faults.takeDelivery("sign", { url });
  }

  async enqueue(d: NewDelivery): Promise<void> {
    const target = { url: d.url, deploymentId: d.deploymentId };
    const dropped = this.faults.takeDelivery("drop", target);
    const copies = this.faults.takeDelivery("duplicate", target) ? 2 : 1;
    const attempts = this.faults.takeDelivery("retry", target) ? 1 + this.retryDelaysMs.length : 1;
    await this.db.execute({
      sql:
        `INSERT INTO sandbox_deliveries (delivery_id, deployment_id, target_url, body, signing_key, extra_headers,
        next_attempt_at, status, copies, max_attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      args: [
        d.deliveryId,
        d.deploymentId ?? null,
        d.url,
        d.body,
        d.signingKey ?? "",
        JSON.stringify(d.headers ?? {}),
        this.clock.now(),
        dropped ? "dropped" : "pending",
        copies,
        attempts,
      ],
    });
    if (!dropped) this.kick();
  }

  /** Starts a pass over due deliveries unless one is running (then another follows it). */
  kick(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      try {
        do {
          this.#again = false;
          await this.#pass();
        } while (this.#again && !this.#closed);
      } finally {
        this.#running = undefined;
      }
    })();
    return this.#running;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#running;
  }

  async #pass(): Promise<void> {
    const rs = await this.db.execute({
      sql:
        `SELECT id, target_url, body, signing_key, extra_headers, sent_headers, attempts, copies, max_attempts
        FROM sandbox_deliveries WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?`,
      args: [this.clock.now(), BATCH],
    });
    await Promise.all(rs.rows.map((r) => this.#attempt(r as Record<string, unknown>)));
  }

  /** Signed once, at the first attempt: a duplicate or a retry is the same request, byte for byte. */
  async #headers(r: Record<string, unknown>): Promise<Record<string, string>> {
    if (r.sent_headers != null) return JSON.parse(String(r.sent_headers));
    const key = String(r.signing_key);
    return {
      "content-type": "application/json",
      "user-agent": "pipedream-sandbox/1.0",
      ...JSON.parse(String(r.extra_headers)),
      ...(key ? await signatureHeaders(key, String(r.body), this.clock.now()) : {}),
    };
  }

  async #send(url: string, headers: Record<string, string>, body: string): Promise<string | null> {
    try {
      const res = await this.fetchFn(url, {
        method: "POST",
        headers,
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await res.body?.cancel();
      return res.ok ? null : `HTTP ${res.status}`;
    } catch (err) {
      return (err as Error).message.slice(0, 200);
    }
  }

  async #attempt(r: Record<string, unknown>): Promise<void> {
    const headers = await this.#headers(r);
    const attempts = Number(r.attempts) + 1;
    const copies = attempts === 1 ? Number(r.copies) : 1;
    let error: string | null = null;
    for (let i = 0; i < copies; i++) error = await this.#send(String(r.target_url), headers, String(r.body));
    const again = error !== null && attempts < Number(r.max_attempts);
    await this.db.execute({
      sql: `UPDATE sandbox_deliveries SET attempts = ?, status = ?, last_error = ?, next_attempt_at = ?,
        sent_headers = ? WHERE id = ?`,
      args: [
        attempts,
        again ? "pending" : error === null ? "delivered" : "failed",
        error,
        this.clock.now() + (again ? this.retryDelaysMs[attempts - 1] : 0),
        JSON.stringify(headers),
        Number(r.id),
      ],
    });
  }
}
