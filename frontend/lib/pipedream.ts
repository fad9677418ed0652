/**
 * The browser's Pipedream client, from what /api/session says: in sandbox
 * mode it talks to /sandbox and opens the sandbox's Connect page; in live
 * mode, to Pipedream. This is the one place that knows the difference.
 */
import { createFrontendClient, type PipedreamClient } from "@pipedream/sdk/browser";
import type { SessionResponse } from "../../shared/api.ts";
import { api } from "./api.ts";
import { recordBrowserCalls } from "./browser_calls.ts";

let sandboxMode = false;

/** Where a Connect Link sends the user for `app` (in sandbox mode, with the app's theme). */
export function connectLinkFor(connectLinkUrl: string, app: string): string {
  const theme = sandboxMode ? `&theme=${document.documentElement.dataset.theme ?? "light"}` : "";
  return `${connectLinkUrl}&app=${encodeURIComponent(app)}${theme}`;
}

export function createPipedream(session: SessionResponse): PipedreamClient {
  // A connection spends its token; the SDK asks for a new one right after,
  // and the server must then mint instead of reusing its cached token.
  let spent = false;
  const sandbox = session.mode === "sandbox" && session.pipedream.baseUrl;
  sandboxMode = Boolean(sandbox);
  recordBrowserCalls(session.pipedream.baseUrl ?? "https://api.pipedream.com");
  const client = createFrontendClient({
    externalUserId: session.externalUserId,
    projectEnvironment: session.pipedream.projectEnvironment,
    ...(session.pipedream.baseUrl ? { baseUrl: session.pipedream.baseUrl } : {}),
    ...(session.pipedream.frontendHost ? { frontendHost: session.pipedream.frontendHost } : {}),
    tokenCallback: async () => {
      const t = await api.connectToken(spent);
      spent = false;
      return { token: t.token, expiresAt: new Date(t.expiresAt), connectLinkUrl: t.connectLinkUrl };
    },
  });
  if (sandbox) {
    // The SDK builds its Connect iframe from `https://{frontendHost}/_static/connect.html`
    // (scheme fixed to https, no path prefix). The sandbox serves the same page under
    // its own base URL, plain http locally, so the iframe's URL is swapped here, once:
    // the SDK reads `iframeUrl` each time it opens the dialog.
    (client as unknown as { iframeUrl: string }).iframeUrl = `${sandbox}/_static/connect.html`;
    swapSandboxAppIcons(sandbox);
  }

  const connect = client.connectAccount.bind(client);
  client.connectAccount = async (opts) => {
    spent = true;
    // The SDK appends a full-screen iframe to <body> and leaves focus behind it.
    // Move focus into the dialog, hide the page from assistive tech while it is
    // open, and give focus back to where it was when it closes.
    const before = document.activeElement as HTMLElement | null;
    const root = document.getElementById("root");
    const restore = () => {
      root?.removeAttribute("inert");
      // The opener may be disabled until the app re-renders: retry for a few frames.
      let frames = 10;
      const refocus = () => {
        before?.focus();
        if (document.activeElement !== before && --frames > 0) requestAnimationFrame(refocus);
      };
      refocus();
    };
    await connect({
      ...opts,
      onClose: (status) => {
        opts.onClose?.(status);
        restore();
      },
    });
    const frame = document.querySelector<HTMLIFrameElement>(
      "body > iframe[id^='pipedream-connect-iframe-']:last-of-type",
    );
    if (frame) {
      root?.setAttribute("inert", "");
      frame.focus();
      // The sandbox's Connect page takes the app's theme (Pipedream's own ignores this message).
      if (sandbox) {
        const theme = () =>
          frame.contentWindow?.postMessage(
            { type: "pd-sandbox-theme", theme: document.documentElement.dataset.theme },
            location.origin,
          );
        frame.addEventListener("load", theme);
      }
    } else {
      restore();
    }
  };
  return client;
}

/**
 * connect-react's app picker draws icons from `https://pipedream.com/s.v0/{app id}/logo/48`.
 * The sandbox's stand-in apps (ids `app_sbx_{slug}`) have none there, and the page's CSP
 * (rightly) refuses pipedream.com images in sandbox mode, so each such request would fail
 * and log an error. The URL is rewritten to the sandbox's own icon before the browser
 * requests it. React sets an image's `src` twice (the attribute, then the property, so
 * the load event fires after its listeners exist); both are wrapped, for images only.
 */
function swapSandboxAppIcons(baseUrl: string) {
  const pattern = /^https:\/\/pipedream\.com\/s\.v0\/app_sbx_([a-z0-9_]+)\/logo\//;
  const rewrite = (value: string) => {
    const m = String(value).match(pattern);
    return m ? `${baseUrl}/_static/icons/${m[1]}.svg` : value;
  };
  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (this: Element, name: string, value: string) {
    const v = this instanceof HTMLImageElement && name === "src" ? rewrite(value) : value;
    return setAttribute.call(this, name, v);
  };
  const src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  if (src?.set) {
    Object.defineProperty(HTMLImageElement.prototype, "src", {
      ...src,
      set(this: HTMLImageElement, value: string) {
        src.set!.call(this, rewrite(value));
      },
    });
  }
}

/**
 * A Connect dialog the user closed (Cancel, Deny, ×) is their choice, not a
 * failure: the app says so plainly instead of showing an error.
 */
export const isUserCancel = (message: string) => /denied|cancel|closed by the user/i.test(message);
