/**
 * The Connect Link leaves the page (a plain redirect to Pipedream's hosted
 * page) and comes back to the URL the token names (`/?connect=success` or
 * `/?connect=error`). What the user was doing is kept in sessionStorage for
 * that round trip, so the page reopens where it was and names the app.
 */
import { isUserCancel } from "./pipedream.ts";

const KEY = "pdc-connect-link";

export type LinkContext = { app: string; appName: string };
export type LinkReturn = { ok: boolean; cancelled?: boolean; text: string; context?: LinkContext };

export function rememberConnectLink(context: LinkContext): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(context));
  } catch { /* storage disabled: the return still works, without the app's name */ }
}

/** What the return URL says, with the context kept before leaving (read once). */
export function takeConnectLinkReturn(search: string): LinkReturn | undefined {
  const q = new URLSearchParams(search);
  const outcome = q.get("connect");
  if (outcome !== "success" && outcome !== "error") return undefined;
  let context: LinkContext | undefined;
  try {
    const raw = sessionStorage.getItem(KEY);
    sessionStorage.removeItem(KEY);
    const v = raw ? JSON.parse(raw) : undefined;
    if (v && typeof v.app === "string" && typeof v.appName === "string") context = v;
  } catch { /* nothing kept */ }
  const name = context?.appName ?? "your account";
  if (outcome === "success") {
    return { ok: true, text: `Connected ${name} through the Connect Link.`, context };
  }
  const error = q.get("error") ?? "unknown error";
  // Cancel and Deny are the user's choice, said plainly rather than as a failure.
  if (isUserCancel(error)) {
    return {
      ok: true,
      cancelled: true,
      text: `${name} was not connected: you ${error === "cancelled" ? "cancelled" : "denied access"}.`,
      context,
    };
  }
  return { ok: false, text: `Connecting ${name} through the Connect Link failed: ${error}`, context };
}
