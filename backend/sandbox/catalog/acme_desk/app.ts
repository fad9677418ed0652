/**
 * Acme Desk (sandbox): a help desk whose API lives on each account's own
 * subdomain (`https://{subdomain}.acme-desk.example`), like Zendesk. Its
 * user types the subdomain and an API token on the Connect page. It has no
 * components: it is reached through the Connect proxy, with relative paths
 * (Pipedream's rule for apps with account-specific domains).
 */
import type { AppDef } from "../types.ts";
import { findTicket, insertTicket, listTickets, type Ticket } from "./store.ts";

export const acmeDesk: AppDef = {
  slug: "acme_desk",
  name: "Acme Desk (sandbox)",
  authType: "keys",
  description: "A sandbox help desk on your own subdomain: tickets kept by the local sandbox, via the proxy.",
  categories: ["Customer Support"],
  color: "#1971C2",
  glyph: "D",
  apiBase: "https://{{custom_fields.subdomain}}.acme-desk.example",
  allowedDomains: null,
  customFields: [{
    name: "subdomain",
    label: "Subdomain",
    description: "Your Acme Desk address is https://<subdomain>.acme-desk.example, for example yourco.",
    pattern: /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/,
    invalid: "A subdomain is lowercase letters, digits and dashes, like yourco",
  }, {
    name: "api_token",
    label: "API token",
    description: "Sandbox tokens are sbx_key_ followed by 8 or more letters or digits.",
    secret: true,
    pattern: /^sbx_key_[A-Za-z0-9]{8,64}$/,
    invalid: "That API token is not valid: sandbox tokens look like sbx_key_ + 8 letters or digits",
  }],
  components: [],
  async api(ctx, account, req) {
    const base = `https://${account.credentials.subdomain}.acme-desk.example`;
    const view = (t: Ticket) => ({
      id: t.id,
      url: `${base}/api/v2/tickets/${t.id}`,
      subject: t.subject,
      status: t.status,
      created_at: new Date(t.createdAt).toISOString(),
    });
    if (req.method === "GET" && req.path === "/api/v2/tickets") {
      return { status: 200, body: { tickets: (await listTickets(ctx.db, account.id)).map(view) } };
    }
    if (req.method === "POST" && req.path === "/api/v2/tickets") {
      const subject = (req.body as { ticket?: { subject?: unknown } } | undefined)?.ticket?.subject;
      if (typeof subject !== "string" || subject.trim() === "" || subject.length > 200) {
        return { status: 422, body: { error: "RecordInvalid", details: { subject: ["is required"] } } };
      }
      const t = await insertTicket(ctx.db, { accountId: account.id, subject, createdAt: ctx.now });
      return { status: 201, body: { ticket: view(t) } };
    }
    const one = req.path.match(/^\/api\/v2\/tickets\/(\d{1,9})$/);
    if (req.method === "GET" && one) {
      const t = await findTicket(ctx.db, account.id, Number(one[1]));
      return t
        ? { status: 200, body: { ticket: view(t) } }
        : { status: 404, body: { error: "RecordNotFound" } };
    }
    return {
      status: 404,
      body: { error: "InvalidEndpoint", description: `No route for ${req.method} ${req.path}` },
    };
  },
};
