/**
 * Slack (sandbox): a workspace per user with a few channels. Sending a
 * message stores it and emits it to every deployment of `slack-new-message`
 * (of the same user) watching that channel.
 */
import type { AppDef, Option } from "../types.ts";
import { PropError, str } from "../types.ts";
import { insertMessage, listMessages } from "./store.ts";

const CHANNELS = [
  { id: "C01GENERAL", name: "general" },
  { id: "C02RANDOM", name: "random" },
  { id: "C03ALERTS", name: "sandbox-alerts" },
];
const channelOptions = (): Promise<Option[]> =>
  Promise.resolve(CHANNELS.map((c) => ({ label: `#${c.name}`, value: c.id })));
const channel = (id: unknown) => CHANNELS.find((c) => c.id === id);
/** Slack's message timestamp: seconds, then a sequence that orders messages within a second. */
const messageTs = (ms: number, id: number) => `${Math.floor(ms / 1000)}.${String(id).padStart(6, "0")}`;

export const slack: AppDef = {
  slug: "slack",
  name: "Slack (sandbox)",
  authType: "oauth",
  description: "A sandbox stand-in for Slack: channels and messages kept by the local sandbox.",
  categories: ["Communication"],
  color: "#4A154B",
  glyph: "#",
  apiBase: "https://slack.com/api",
  allowedDomains: ["slack.com"],
  components: [
    {
      key: "slack-send-message",
      name: "Send Message to Channel",
      version: "0.1.3",
      description: "Send a message to a public channel.",
      type: "action",
      props: () => [
        { name: "slack", type: "app", app: "slack", label: "Slack account" },
        { name: "channel", type: "string", label: "Channel", remoteOptions: true },
        { name: "text", type: "string", label: "Text", description: "The message. Markdown is supported." },
        {
          name: "unfurl",
          type: "boolean",
          label: "Unfurl links",
          optional: true,
          default: true,
        },
      ],
      options: (_ctx, prop) => {
        if (prop !== "channel") throw new PropError(`Prop ${prop} has no remote options`);
        return channelOptions();
      },
      async run(ctx, configured) {
        const account = await ctx.account("slack");
        const c = channel(configured.channel);
        if (!c) throw new PropError("Choose a channel");
        const text = str(configured.text, "text");
        if (text.length > 4000) throw new PropError("text must be at most 4000 characters");
        const id = await insertMessage(ctx.db, {
          externalUserId: ctx.externalUserId,
          accountId: account.id,
          channel: c.id,
          text,
          createdAt: ctx.now,
        });
        const ts = messageTs(ctx.now, id);
        const message = { type: "message", channel: c.id, text, user: account.name, ts };
        ctx.log(`Posted to #${c.name}`);
        const delivered = await ctx.emit(
          "slack-new-message",
          (p) => p.channel === c.id,
          { ...message, channel_name: c.name },
          `New message in #${c.name}: ${text.slice(0, 60)}`,
        );
        if (delivered) ctx.log(`Emitted to ${delivered} deployed trigger(s) watching #${c.name}`);
        return { summary: `Sent message to #${c.name}`, ret: { ok: true, channel: c.id, ts, message } };
      },
    },
    {
      key: "slack-new-message",
      name: "New Message In Channel",
      version: "1.0.2",
      description: "Emit an event for each new message in a channel.",
      type: "trigger",
      props: () => [
        { name: "slack", type: "app", app: "slack", label: "Slack account" },
        { name: "channel", type: "string", label: "Channel", remoteOptions: true },
        { name: "ignoreBot", type: "boolean", label: "Ignore bots", optional: true, default: false },
      ],
      options: (_ctx, prop) => {
        if (prop !== "channel") throw new PropError(`Prop ${prop} has no remote options`);
        return channelOptions();
      },
      sampleEvent: (configured, now) => {
        const c = channel(configured.channel) ?? CHANNELS[0];
        const text = "Test event: a message the sandbox made up";
        return {
          event: {
            type: "message",
            channel: c.id,
            channel_name: c.name,
            text,
            user: "USANDBOX",
            ts: messageTs(now, 0),
          },
          summary: `New message in #${c.name}: ${text}`,
        };
      },
    },
  ],
  async api(ctx, account, req) {
    if (req.method === "GET" && req.path === "/conversations.list") {
      return { status: 200, body: { ok: true, channels: CHANNELS.map((c) => ({ ...c, is_channel: true })) } };
    }
    if (req.method === "GET" && req.path === "/conversations.history") {
      const c = channel(req.query.get("channel"));
      if (!c) return { status: 200, body: { ok: false, error: "channel_not_found" } };
      const messages = await listMessages(ctx.db, account.externalUserId, c.id);
      return {
        status: 200,
        body: {
          ok: true,
          messages: messages.map((m) => ({
            type: "message",
            text: m.text,
            ts: messageTs(m.createdAt, m.id),
          })),
        },
      };
    }
    if (req.method === "GET" && req.path === "/auth.test") {
      return { status: 200, body: { ok: true, user: account.name, team: "Sandbox workspace" } };
    }
    return { status: 404, body: { ok: false, error: "unknown_method" } };
  },
};
