import type { Db } from "../../database/db.ts";
import type { Clock } from "../../lib/clock.ts";
import type { Answers } from "../answers.ts";
import type { Guards } from "../auth.ts";
import type { ComponentContext } from "../component_calls.ts";
import type { Deliveries } from "../deliveries.ts";
import type { Destinations } from "../destinations.ts";
import type { Faults } from "../faults.ts";
import type { ProxyLimits } from "./proxy.ts";

/** What every sandbox route group is built from (see createSandbox). */
export type SandboxDeps = {
  db: Db;
  clock: Clock;
  deliveries: Deliveries;
  faults: Faults;
  /** Per-component answer switches (answers.ts). */
  answers: Answers;
  guards: Guards;
  /** The context a component call runs with. */
  context: ComponentContext;
  /** The client secret the OAuth endpoint accepts. */
  clientSecret: string;
  /** How long the proxy waits for an app's API, and how large an answer it passes on. */
  proxyLimits: ProxyLimits;
  /** Where webhooks and redirects may go (only the app's origins, when embedded). */
  destinations: Destinations;
};
