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
import { z } from "zod";
import { findComponent } from "./catalog/index.ts";

const AnsweredCall = z.enum(["run", "configure", "props"]);
/** The component calls a switch can answer. */
export type AnsweredCall = z.infer<typeof AnsweredCall>;

/** Which calls each answer is documented for. */
const DOCUMENTED: Record<"failed" | "accepted", AnsweredCall[]> = {
  failed: ["run"],
  accepted: ["run", "configure", "props"],
};

export const AnswerSpec = z.object({
  /** A component key, e.g. `slack-send-message`. */
  component: z.string().min(1).max(200),
  answer: z.enum(["failed", "accepted"]),
  /** The calls it answers (default: every call the answer is documented for). */
  calls: z.array(AnsweredCall).min(1).optional(),
  /** The failed run's error message. */
  message: z.string().min(1).max(500).optional(),
  /** How many calls it applies to (default: until cleared). */
  times: z.number().int().min(1).max(10_000).optional(),
}).strict().superRefine((a, ctx) => {
  const found = findComponent(a.component);
  if (!found) ctx.addIssue({ code: "custom", message: `No sandbox component ${a.component}` });
  else if (a.answer === "failed" && found.component.type !== "action") {
    ctx.addIssue({ code: "custom", message: "Only an action's run can be made to fail" });
  }
  if (a.message !== undefined && a.answer !== "failed") {
    ctx.addIssue({ code: "custom", message: "message is for failed runs" });
  }
  const undocumented = (a.calls ?? []).filter((c) => !DOCUMENTED[a.answer].includes(c));
  if (undocumented.length) {
    ctx.addIssue({ code: "custom", message: `${a.answer} is not an answer to ${undocumented.join(", ")}` });
  }
});
export type AnswerSpec = z.infer<typeof AnswerSpec>;

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
