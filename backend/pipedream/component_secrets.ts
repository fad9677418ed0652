/**
 * Which props of a component are secret (`secret: true`), so run history can
 * redact them by name as well as by shape. Component definitions change
 * rarely; they are cached for a few minutes.
 */
import type { PipedreamClient } from "@pipedream/sdk";
import { isNotFound } from "../http/error_mapping.ts";
import type { Clock } from "../lib/clock.ts";
import { withRetry } from "./retry.ts";

const TTL_MS = 5 * 60_000;

export function createSecretPropsLookup(pd: PipedreamClient, clock: Clock) {
  const cache = new Map<string, { at: number; names: Set<string> }>();
  return async function secretProps(componentKey: string): Promise<Set<string>> {
    const hit = cache.get(componentKey);
    if (hit && clock.now() - hit.at < TTL_MS) return hit.names;
    let names = new Set<string>();
    try {
      const { data } = await withRetry(() => pd.components.retrieve(componentKey));
      names = new Set(
        (data.configurableProps ?? [])
          .filter((p) => (p as { secret?: boolean }).secret === true)
          .map((p) => p.name),
      );
    } catch (err) {
      // Unknown component: redaction by key shape still applies, and that answer is kept.
      // Any other failure is not an answer: say so, and ask again next time.
      if (!isNotFound(err)) {
        console.error(`secret props of ${componentKey} unknown (redacting by key shape only):`, err);
        return names;
      }
    }
    if (cache.size > 500) cache.clear();
    cache.set(componentKey, { at: clock.now(), names });
    return names;
  };
}
