/**
 * The sandbox's switches as its admin route takes them (routes/admin.ts):
 * faults (faults.ts) and per-component answers (answers.ts). The schemas are
 * here, loaded with the routes; faults.ts and answers.ts keep the switches
 * that are on and need only their types, so the sandbox starts without zod
 * (lib/lazy.ts).
 */
import { z } from "zod";
import { DOCUMENTED } from "./answers.ts";
import { findComponent } from "./catalog/index.ts";

// ---------------------------------------------------------------- faults

/** How long a fault holds each answer, and for how many calls (every one when absent). */
const delayMs = z.number().int().min(0).max(120_000).optional();
const times = z.number().int().min(1).max(10_000).optional();
/** A fault that neither answers differently nor slows down would do nothing. */
const doesSomething = [
  (f: { status?: number; delayMs?: number }) => f.status !== undefined || f.delayMs !== undefined,
  "give a status, a delayMs, or both",
] as const;

const ApiFault = z.object({
  match: z.string().min(1).max(200),
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).optional(),
  status: z.union([z.literal(429), z.literal(500), z.literal(502), z.literal(503), z.literal(504)])
    .optional(),
  retryAfter: z.number().int().min(0).max(3600).optional(),
  delayMs,
  times,
}).strict().refine(...doesSomething);
export type ApiFault = z.infer<typeof ApiFault>;

export const DeliveryFaultKind = z.enum(["drop", "duplicate", "retry", "sign"]);
export type DeliveryFaultKind = z.infer<typeof DeliveryFaultKind>;

const DeliveryFault = z.object({
  delivery: DeliveryFaultKind,
  /** A substring of the target URL or the deployment id; every delivery when absent. */
  match: z.string().min(1).max(200).optional(),
  times,
}).strict();
export type DeliveryFault = z.infer<typeof DeliveryFault>;

/** The proxied app's own API (`upstream`: its slug) answering slowly or with an error status. */
const UpstreamFault = z.object({
  upstream: z.string().min(1).max(100),
  status: z.number().int().min(400).max(599).optional(),
  delayMs,
  times,
}).strict().refine(...doesSomething);
export type UpstreamFault = z.infer<typeof UpstreamFault>;

/** Any kind: a body with `delivery` is a delivery fault, one with `upstream` an upstream fault. */
export const FaultSpec = z.unknown().transform((value, ctx): ApiFault | DeliveryFault | UpstreamFault => {
  const has = (key: string) => Boolean(value && typeof value === "object" && key in value);
  const schema = has("delivery") ? DeliveryFault : has("upstream") ? UpstreamFault : ApiFault;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, code: "custom" });
  return z.NEVER;
});
export type FaultSpec = z.infer<typeof FaultSpec>;

// ---------------------------------------------------------------- answers

const AnsweredCall = z.enum(["run", "configure", "props"]);
/** The component calls a switch can answer. */
export type AnsweredCall = z.infer<typeof AnsweredCall>;

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
