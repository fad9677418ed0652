/**
 * Webhook deliveries, as Pipedream makes them: queued in the database (so a
 * restart loses none), signed at send time, retried with backoff when the
 * receiver fails, dropped on a final 4xx. A 410 Gone also deactivates the
 * deployment: the receiver has said it no longer wants its events.
 */
import type { Db } from "../database/db.ts";
import type { Clock } from "../lib/clock.ts";
import { signDelivery } from "../lib/webhook_signature.ts";

export type NewDelivery = {
  deliveryId: string;
  deploymentId?: string;
  url: string;
  body: string;
  signingKey: string;
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
    private delaysMs: number[],
  ) {}

  async enqueue(d: NewDelivery): Promise<void> {
    await this.db.execute({
      sql:
        `INSERT INTO sandbox_deliveries (delivery_id, deployment_id, target_url, body, signing_key, extra_headers,
        next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      args: [
        d.deliveryId,
        d.deploymentId ?? null,
        d.url,
        d.body,
        d.signingKey,
        JSON.stringify(d.headers ?? {}),
        this.clock.now(),
      ],
    });
    this.kick();
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
      sql: `SELECT id, delivery_id, deployment_id, target_url, body, signing_key, extra_headers, attempts
        FROM sandbox_deliveries WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?`,
      args: [this.clock.now(), BATCH],
    });
    await Promise.all(rs.rows.map((r) => this.#attempt(r as Record<string, unknown>)));
  }

  async #attempt(r: Record<string, unknown>): Promise<void> {
    const body = String(r.body);
    const headers = {
      "content-type": "application/json",
      "user-agent": "pipedream-sandbox/1.0",
      ...JSON.parse(String(r.extra_headers)),
      ...await signDelivery(String(r.signing_key), body, this.clock.now(), String(r.delivery_id)),
    };
    let outcome: "delivered" | "final" | "gone" | "retry";
    let error: string | null = null;
    try {
      const res = await this.fetchFn(String(r.target_url), {
        method: "POST",
        headers,
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await res.body?.cancel();
      if (res.ok) outcome = "delivered";
      else if (res.status === 410) outcome = "gone";
      else if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
        outcome = "final";
      } else outcome = "retry";
      if (!res.ok) error = `HTTP ${res.status}`;
    } catch (err) {
      outcome = "retry";
      error = (err as Error).message.slice(0, 200);
    }
    const attempts = Number(r.attempts) + 1;
    if (outcome === "retry" && attempts > this.delaysMs.length) outcome = "final";
    const statements: Array<{ sql: string; args: Array<string | number | null> }> = [{
      sql:
        `UPDATE sandbox_deliveries SET attempts = ?, status = ?, last_error = ?, next_attempt_at = ? WHERE id = ?`,
      args: [
        attempts,
        outcome === "retry" ? "pending" : outcome === "delivered" ? "delivered" : "failed",
        error,
        this.clock.now() + (outcome === "retry" ? this.delaysMs[attempts - 1] : 0),
        Number(r.id),
      ],
    }];
    if (outcome === "gone" && r.deployment_id != null) {
      statements.push({
        sql: "UPDATE sandbox_deployments SET active = 0, updated_at = ? WHERE id = ?",
        args: [this.clock.now(), String(r.deployment_id)],
      });
    }
    await this.db.batch(statements, "write");
  }
}
