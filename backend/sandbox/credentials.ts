/**
 * The sandbox's well-known OAuth client. They guard nothing real (the sandbox
 * holds only made-up accounts), but the sandbox checks them exactly as
 * Pipedream checks a project's client, so a wrong secret fails the same way.
 */
export const SANDBOX_CREDENTIALS = {
  clientId: "sandbox_client_id",
  clientSecret: "sandbox_client_secret",
  projectId: "proj_sandbox",
  /** The environment sandbox mode uses (the sandbox keeps development and production apart). */
  environment: "development",
} as const;
