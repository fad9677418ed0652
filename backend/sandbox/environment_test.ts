/**
 * Development and production are two worlds, as in Pipedream: the real SDK,
 * one server client per environment and browser clients holding each
 * environment's Connect token, sees only its own environment's accounts,
 * deployments, reload-props ids and users.
 */
import { deepStrictEqual, equal, match, rejects } from "node:assert/strict";
import { PipedreamError } from "@pipedream/sdk";
import { createFrontendClient } from "@pipedream/sdk/browser";
import type { ProjectEnvironment } from "./environment.ts";
import { connectAccountViaSandbox, sandboxServerClient, standaloneSandbox } from "./testing.ts";

const USER = "env-user";

const isStatus = (status: number) => (err: unknown) =>
  err instanceof PipedreamError && err.statusCode === status;

Deno.test("development and production data are kept apart, through the real SDK", async () => {
  const sbx = await standaloneSandbox();
  try {
    const server = {
      development: sandboxServerClient(sbx.url, "development"),
      production: sandboxServerClient(sbx.url, "production"),
    };
    const mint = async (env: ProjectEnvironment) =>
      await server[env].tokens.create({ externalUserId: USER, allowedOrigins: [] });
    const browser = (env: ProjectEnvironment) =>
      createFrontendClient({
        externalUserId: USER,
        baseUrl: sbx.url,
        tokenCallback: async () => {
          const t = await mint(env);
          return { token: t.token, expiresAt: t.expiresAt, connectLinkUrl: t.connectLinkUrl };
        },
      });
    const accountIds = async (env: ProjectEnvironment) =>
      (await server[env].accounts.list({ externalUserId: USER })).data.map((a) => a.id);

    // Connected in development: production (a wrong PIPEDREAM_PROJECT_ENVIRONMENT) sees no account.
    const dev = await connectAccountViaSandbox(sbx.url, (await mint("development")).token, "slack");
    const devAccount = dev.accountId!;
    deepStrictEqual(await accountIds("development"), [devAccount]);
    deepStrictEqual(await accountIds("production"), []);
    deepStrictEqual((await browser("production").accounts.list({})).data, []);
    deepStrictEqual((await browser("development").accounts.list({})).data.map((a) => a.id), [devAccount]);
    await rejects(server.production.accounts.retrieve(devAccount), isStatus(404));
    await rejects(browser("production").accounts.retrieve(devAccount), isStatus(404));

    // The same user connects in production: a separate account there.
    const prod = await connectAccountViaSandbox(sbx.url, (await mint("production")).token, "slack");
    deepStrictEqual(await accountIds("production"), [prod.accountId]);
    deepStrictEqual(await accountIds("development"), [devAccount]);

    // Production cannot run, configure or deploy with development's account.
    const props = { slack: { authProvisionId: devAccount }, channel: "C01GENERAL", text: "x" };
    await rejects(
      server.production.actions.run({
        id: "slack-send-message",
        externalUserId: USER,
        configuredProps: props,
      }),
      (err) => isStatus(400)(err) && /not found/.test(JSON.stringify((err as PipedreamError).body)),
    );
    const sheets =
      (await connectAccountViaSandbox(sbx.url, (await mint("development")).token, "google_sheets"))
        .accountId;
    const drives = (env: ProjectEnvironment) =>
      server[env].components.configureProp({
        id: "google_sheets-add-single-row",
        externalUserId: USER,
        propName: "drive",
        configuredProps: { googleSheets: { authProvisionId: sheets } },
      });
    match(JSON.stringify((await drives("production")).errors), /not found/);
    equal((await drives("development")).errors?.length, 0);
    const ran = await server.development.actions.run({
      id: "slack-send-message",
      externalUserId: USER,
      configuredProps: props,
    });
    equal(ran.exports?.$summary, "Sent message to #general");

    // Deployments and reload-props ids are per environment too.
    const deployed = await server.development.triggers.deploy({
      id: "slack-new-message",
      externalUserId: USER,
      configuredProps: { slack: { authProvisionId: devAccount }, channel: "C01GENERAL" },
    });
    equal((await server.development.deployedTriggers.list({ externalUserId: USER })).data.length, 1);
    deepStrictEqual((await server.production.deployedTriggers.list({ externalUserId: USER })).data, []);
    await rejects(
      server.production.deployedTriggers.retrieve(deployed.data.id, { externalUserId: USER }),
      isStatus(404),
    );
    const reloaded = await server.development.components.reloadProps({
      id: "acme_crm-create-record",
      externalUserId: USER,
      configuredProps: { recordType: "deal" },
    });
    await rejects(
      server.production.actions.run({
        id: "acme_crm-create-record",
        externalUserId: USER,
        configuredProps: { recordType: "deal" },
        dynamicPropsId: reloaded.dynamicProps?.id,
      }),
      isStatus(400),
    );

    // A production token cannot reconnect development's account.
    const crossReconnect = await connectAccountViaSandbox(
      sbx.url,
      (await mint("production")).token,
      "slack",
      {
        accountId: devAccount,
      },
    );
    match(crossReconnect.error ?? "", /not one of this user's accounts/);

    // Deleting the user in production leaves development untouched.
    await server.production.users.deleteExternalUser(USER);
    deepStrictEqual(await accountIds("production"), []);
    deepStrictEqual(await accountIds("development"), [devAccount, sheets]);
    equal((await server.development.deployedTriggers.list({ externalUserId: USER })).data.length, 1);
  } finally {
    await sbx.close();
  }
});
