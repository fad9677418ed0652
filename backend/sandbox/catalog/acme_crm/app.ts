/**
 * Acme CRM (sandbox): an API-key app. Its action uses reload props (the
 * record type decides which fields exist), and its trigger polls on a timer,
 * emitting the records created since the last poll.
 */
import type { AppDef, WireProp } from "../types.ts";
import { PropError, str } from "../types.ts";
import { insertRecord, listRecords, recordsCreatedSince } from "./store.ts";

const STAGES = ["lead", "qualified", "won", "lost"];

function recordFields(type: unknown): WireProp[] {
  if (type === "contact") {
    return [
      { name: "name", type: "string", label: "Full name" },
      { name: "email", type: "string", label: "Email" },
      { name: "tags", type: "string[]", label: "Tags", optional: true, description: "Free-form labels" },
      { name: "vip", type: "boolean", label: "VIP", optional: true, default: false },
    ];
  }
  if (type === "deal") {
    return [
      { name: "title", type: "string", label: "Deal title" },
      { name: "amount", type: "integer", label: "Amount (USD)", min: 0, max: 10_000_000 },
      {
        name: "stage",
        type: "string",
        label: "Stage",
        options: STAGES.map((s) => ({ label: s, value: s })),
        default: "lead",
      },
    ];
  }
  return [];
}

function validateRecord(type: string, p: Record<string, unknown>): Record<string, unknown> {
  if (type === "contact") {
    const email = str(p.email, "email");
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new PropError("email must be an email address");
    const tags = p.tags === undefined ? [] : p.tags;
    if (!Array.isArray(tags) || tags.some((t) => typeof t !== "string")) {
      throw new PropError("tags must be a list of strings");
    }
    return { name: str(p.name, "name"), email, tags, vip: p.vip === true };
  }
  const amount = Number(p.amount);
  if (!Number.isInteger(amount) || amount < 0) throw new PropError("amount must be a whole number ≥ 0");
  const stage = p.stage ?? "lead";
  if (!STAGES.includes(String(stage))) throw new PropError(`stage must be one of ${STAGES.join(", ")}`);
  return { title: str(p.title, "title"), amount, stage };
}

export const acmeCrm: AppDef = {
  slug: "acme_crm",
  name: "Acme CRM (sandbox)",
  authType: "keys",
  description: "A sandbox CRM connected with an API key: contacts and deals kept by the local sandbox.",
  categories: ["CRM"],
  color: "#E8590C",
  glyph: "A",
  apiBase: "https://api.acme-crm.example",
  allowedDomains: ["api.acme-crm.example"],
  customFields: [{
    name: "api_key",
    label: "API key",
    description:
      "Sandbox keys are sbx_key_ followed by 8 or more letters or digits, for example sbx_key_ + demo1234.",
    secret: true,
    pattern: /^sbx_key_[A-Za-z0-9]{8,64}$/,
    invalid: "That API key is not valid: sandbox keys look like sbx_key_ + 8 letters or digits",
  }],
  components: [
    {
      key: "acme_crm-create-record",
      name: "Create Record",
      version: "0.3.0",
      description: "Create a contact or a deal. The fields change with the record type.",
      type: "action",
      props: (configured) => [
        { name: "acmeCrm", type: "app", app: "acme_crm", label: "Acme CRM account" },
        {
          name: "info",
          type: "alert",
          alertType: "info",
          content: "Records are stored by the sandbox. Choose a record type to see its fields.",
        },
        {
          name: "recordType",
          type: "string",
          label: "Record type",
          options: [{ label: "Contact", value: "contact" }, { label: "Deal", value: "deal" }],
          reloadProps: true,
        },
        ...recordFields(configured.recordType),
        {
          name: "privateNote",
          type: "string",
          label: "Private note",
          description: "Stored with the record but never shown in run history",
          secret: true,
          optional: true,
        },
      ],
      async run(ctx, configured) {
        const account = await ctx.account("acmeCrm");
        const type = configured.recordType;
        if (type !== "contact" && type !== "deal") throw new PropError("recordType must be contact or deal");
        const data = validateRecord(type, configured);
        const id = await insertRecord(ctx.db, {
          accountId: account.id,
          externalUserId: ctx.externalUserId,
          type,
          data,
          createdAt: ctx.now,
        });
        ctx.log(`Created ${type} ${id}`);
        return { summary: `Created ${type} ${id}`, ret: { id, type, ...data }, exports: { recordId: id } };
      },
    },
    {
      key: "acme_crm-new-record",
      name: "New Record (polling)",
      version: "0.1.0",
      description: "Checks on a timer and emits each record created since the last check.",
      type: "trigger",
      props: () => [
        { name: "acmeCrm", type: "app", app: "acme_crm", label: "Acme CRM account" },
        {
          name: "timer",
          type: "$.interface.timer",
          label: "Polling interval",
          default: { intervalSeconds: 60 },
        },
        {
          name: "recordType",
          type: "string",
          label: "Only this record type",
          optional: true,
          options: [{ label: "Contact", value: "contact" }, { label: "Deal", value: "deal" }],
        },
      ],
      timerIntervalSeconds: (configured) => {
        const t = configured.timer as { intervalSeconds?: unknown } | undefined;
        const n = Number(t?.intervalSeconds ?? 60);
        return Number.isFinite(n) ? Math.min(86_400, Math.max(15, n)) : 60;
      },
      async onTimer(ctx, configured, since) {
        const only = typeof configured.recordType === "string" ? configured.recordType : null;
        const records = await recordsCreatedSince(ctx.db, ctx.externalUserId, since, only);
        return records.map((r) => ({
          event: { id: r.id, type: r.type, ...r.data, created_at: r.createdAt },
          summary: `New ${r.type} ${r.id}`,
        }));
      },
      sampleEvent: (configured, now) => {
        const type = configured.recordType === "deal" ? "deal" : "contact";
        const data = type === "deal"
          ? { title: "Test deal", amount: 1000, stage: "lead" }
          : { name: "Test Contact", email: "test.contact@example.com", tags: ["test"], vip: false };
        return {
          event: { id: "rec_test", type, ...data, created_at: now, test: true },
          summary: `New ${type} rec_test (test event)`,
        };
      },
    },
  ],
  async api(ctx, account, req) {
    if (req.method === "GET" && req.path === "/v1/records") {
      const records = await listRecords(ctx.db, account.id);
      return { status: 200, body: { records: records.map((r) => ({ id: r.id, type: r.type, ...r.data })) } };
    }
    if (req.method === "POST" && req.path === "/v1/contacts") {
      try {
        const data = validateRecord("contact", (req.body ?? {}) as Record<string, unknown>);
        const id = await insertRecord(ctx.db, {
          accountId: account.id,
          externalUserId: account.externalUserId,
          type: "contact",
          data,
          createdAt: ctx.now,
        });
        return { status: 201, body: { id, type: "contact", ...data } };
      } catch (err) {
        return { status: 422, body: { error: (err as Error).message } };
      }
    }
    return { status: 404, body: { error: `No sandbox route for ${req.method} ${req.path}` } };
  },
};
