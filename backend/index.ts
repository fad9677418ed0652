/**
 * The Val Town entry: an HTTP val whose default export is the fetch handler.
 * Everything it needs comes from the environment (see README: environment
 * variables); nothing here only works locally.
 */
import { createRuntime } from "./runtime.ts";

const runtime = await createRuntime(Deno.env.toObject());

export const app = runtime.app;
export default app.fetch;
