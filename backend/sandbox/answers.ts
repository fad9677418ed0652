/**
 * Per-component answer switches (set through `/admin/answers`, sandbox only):
 * answers Pipedream documents that the sandbox's components do not give by
 * themselves, so an app's handling of them is tested over the real wire.
 *
 * - `failed`: `actions/run` of that action answers 200 with an `os` entry of
 *   `k: "error"` (and no exports), without running it: a run that failed.
 * - `accepted`: `actions/run`, `configure` and `props` of that component
 *   (or only the `calls` named) answer `202` with no body ("Async operation
 *   started": OpenAPI runAction, configure…Prop, reload…Props). A run still
 *   happens, as accepted work would; its result is not answered.
 */
import type { AnsweredCall, AnswerSpec } from "./switches.ts";

/** Which calls each answer is documented for. */
export const DOCUMENTED: Record<"failed" | "accepted", AnsweredCall[]> = {
  failed: ["run"],
  accepted: ["run", "configure", "props"],
};

export class Answers {
  #switches: Array<AnswerSpec & { remaining: number }> = [];

  add(spec: AnswerSpec): void {
    // The latest switch for a component replaces any earlier one.
    this.#switches = this.#switches.filter((s) => s.component !== spec.component);
    this.#switches.push({ ...spec, remaining: spec.times ?? Infinity });
  }

  clear(): void {
    this.#switches = [];
  }

  list(): AnswerSpec[] {
    return this.#switches.map(({ remaining: _r, ...s }) => s);
  }

  /** The switch answering this call of this component, if any (and counts it down). */
  take(component: string, call: AnsweredCall): AnswerSpec | undefined {
    const s = this.#switches.find((s) =>
      s.component === component && (s.calls ?? DOCUMENTED[s.answer]).includes(call)
    );
    if (!s) return undefined;
    if (--s.remaining <= 0) this.#switches = this.#switches.filter((x) => x !== s);
    return s;
  }
}
