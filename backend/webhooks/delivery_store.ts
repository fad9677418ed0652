/**
 * Where the receiver stores a verified trigger delivery: this instance's
 * delivery journal while it can write one (a database file it may write
 * beside), else the group commit (an in-memory or remote database, or a
 * journal that failed). Either way the promise resolves once the delivery
 * is durable, and only then is it acknowledged.
 */
import type { GroupCommitter } from "../database/group_commit.ts";
import type { TrimSchedule } from "../database/trim_schedule.ts";
import type { DeliveryJournal } from "./delivery_journal.ts";
import type { JournaledDelivery } from "./journal_format.ts";
import { deliveredEvent, deliveredEvents } from "./store.ts";

export type StoreDelivery = (delivery: JournaledDelivery, event: unknown) => Promise<void>;

export function deliveryStore(deps: {
  journal?: DeliveryJournal;
  committer: GroupCommitter;
  /** When to trim each deployment's events (the journal's import keeps its own schedule). */
  retention: TrimSchedule;
}): StoreDelivery {
  return (delivery, event) =>
    deps.journal?.ready() ? deps.journal.append(delivery) : deps.committer.commitRow(
      deliveredEvents,
      deliveredEvent(delivery, event),
      deps.retention.stored(delivery.deploymentId),
    );
}
