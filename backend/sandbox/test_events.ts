/**
 * "Send a test event" (sandbox only): the deployment's app emits a sample
 * event, which then travels the real path, a signed webhook delivery to the
 * deployment's URL, like any other event. Pipedream has no API for this; the
 * app's live mode says what makes a trigger fire instead.
 */
import type { Db } from "../database/db.ts";
import type { Clock } from "../lib/clock.ts";
import { findComponent } from "./catalog/index.ts";
import type { Owner } from "./environment.ts";
import { unwrapLabeled } from "./component_calls.ts";
import type { Deliveries } from "./deliveries.ts";
import { emitEvent } from "./emitter.ts";
import { notFound } from "./http.ts";
import { findDeployment } from "./store.ts";

export async function emitTestEvent(
  deps: { db: Db; clock: Clock; deliveries: Deliveries },
  owner: Owner,
  deployedTriggerId: string,
): Promise<{ summary: string }> {
  const d = await findDeployment(deps.db, owner.environment, deployedTriggerId);
  // Another user's deployment answers like a missing one.
  if (!d || d.externalUserId !== owner.externalUserId) {
    throw notFound(`Deployed trigger ${deployedTriggerId} not found`);
  }
  const found = findComponent(d.componentKey);
  const now = deps.clock.now();
  const sample = found?.component.sampleEvent?.(unwrapLabeled(d.configuredProps), now) ?? {
    event: { test: true, message: "Test event from the sandbox" },
    summary: "Test event",
  };
  await emitEvent(deps.db, deps.deliveries, d, sample.event, sample.summary, now);
  return { summary: sample.summary };
}
