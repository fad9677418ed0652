/** Runs every scratchpad script against the sandbox, so they never rot. */
import { equal, match, ok } from "node:assert/strict";
import { SANDBOX_CREDENTIALS } from "../backend/sandbox/credentials.ts";
import { TestBrowser, withServer } from "../backend/testing/fixtures.ts";

async function runScript(name: string, env: Record<string, string>): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(`./${name}`, import.meta.url).pathname],
    env: { ...env, NO_COLOR: "1" },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  equal(out.code, 0, `${name} failed:\n${text}`);
  return text;
}

Deno.test("scratchpad scripts run against the sandbox", async () => {
  await withServer(async (server) => {
    const base = {
      SANDBOX_URL: `${server.url}/sandbox`,
      APP_URL: server.url,
      PATH: Deno.env.get("PATH") ?? "",
      HOME: Deno.env.get("HOME") ?? "/tmp",
      DENO_DIR: Deno.env.get("DENO_DIR") ?? "",
    };
    if (!base.DENO_DIR) delete (base as Record<string, string>).DENO_DIR;
    const env = { ...base, EXTERNAL_USER_ID: "scratchpad-test-user" };
    // The test server's sandbox uses the well-known secret (a running app keeps its own in its database).
    Object.assign(base, { SANDBOX_CLIENT_SECRET: SANDBOX_CREDENTIALS.clientSecret });
    Object.assign(env, { SANDBOX_CLIENT_SECRET: SANDBOX_CREDENTIALS.clientSecret });
    match(await runScript("mint_token.ts", env), /ctok_/);
    match(await runScript("run_action.ts", env), /Sent message to #general/);
    match(await runScript("list_accounts.ts", env), /"app": "slack"/);
    match(await runScript("deploy_trigger.ts", env), /"id": "dc_/);

    // A trigger deployed through the app, then a signed test event to it.
    const browser = new TestBrowser(server.url);
    const user = await browser.startSession();
    const { body: tok } = await browser.json<{ token: string }>("/api/connect/token", {
      json: { fresh: true },
    });
    const { connectAccountViaSandbox } = await import("../backend/sandbox/testing.ts");
    const { accountId } = await connectAccountViaSandbox(`${server.url}/sandbox`, tok.token, "slack");
    const deployed = await browser.json<{ id: string }>("/api/triggers", {
      json: {
        triggerId: "slack-new-message",
        configuredProps: { slack: { authProvisionId: accountId }, channel: "C01GENERAL" },
      },
    });
    const out = await runScript("send_test_webhook.ts", {
      ...base,
      DEPLOYED_TRIGGER_ID: deployed.body.id,
      EXTERNAL_USER_ID: user,
    });
    match(out, /→ 200/);
    const events = await browser.json<{ data: Array<{ event: { text?: string } }> }>("/api/events");
    ok(events.body.data.some((e) => e.event.text === "A test event from the scratchpad"));
  });
});
