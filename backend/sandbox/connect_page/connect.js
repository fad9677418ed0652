// @ts-check
// deno-lint-ignore-file no-window -- browser code: `window.parent` is the page embedding this iframe.
/**
 * The sandbox's Connect page: what Pipedream shows in its iframe (or at a
 * Connect Link). An authorize screen for OAuth apps, a credentials form for
 * key apps; it reports to its parent with the same postMessage protocol as
 * the real page (`success` with `authProvisionId`, `error`, `close`).
 * Plain JavaScript served as it is (no build step), type-checked through
 * JSDoc by `deno check`.
 */

/**
 * What `GET /v1/connect/tokens/:token/validate` answers.
 * @typedef {{ name: string, label: string, description?: string, secret?: boolean }} CustomField
 * @typedef {{ name: string, auth_type: string, img_src: string, custom_fields_json?: string }} WireApp
 * @typedef {{
 *   success: boolean,
 *   error?: string,
 *   app?: WireApp,
 *   project_app_name?: string,
 *   success_redirect_uri?: string,
 *   error_redirect_uri?: string,
 * }} TokenInfo
 * @typedef {{ accountId?: string, error?: string, redirect?: string }} AuthorizeResult
 * @typedef {{ type: "success", authProvisionId: string } | { type: "error", error: string } | { type: "close" }} ParentMessage
 */

/**
 * Light or dark as the app that opened the page has it (not the system's):
 * a Connect Link carries `theme=`, an embedding page posts
 * `{type: "pd-sandbox-theme", theme}` (sandbox only; Pipedream's page ignores both).
 * @param {unknown} theme
 */
function applyTheme(theme) {
  if (theme === "light" || theme === "dark") document.documentElement.dataset.theme = theme;
}
applyTheme(new URLSearchParams(location.search).get("theme"));
addEventListener("message", (e) => {
  if (e.source === window.parent && e.data && e.data.type === "pd-sandbox-theme") applyTheme(e.data.theme);
});

const params = new URLSearchParams(location.search);
const token = params.get("token") || "";
const appSlug = params.get("app") || "";
// `connectAccount({ accountId })` asks to reconnect that account rather than add one.
const accountId = params.get("accountId") || undefined;
const isLink = params.get("connectLink") === "true" || window.parent === window;
const base = location.pathname.replace(/\/_static\/connect\.html$/, "");
/** @type {TokenInfo | null} */
let info = null;

/**
 * @param {string} id
 * @returns {HTMLElement}
 */
const $ = (id) => {
  const found = document.getElementById(id);
  if (!found) throw new Error(`The Connect page has no #${id}`);
  return found;
};

/**
 * The origins allowed to embed this page (the token's allowed origins, from
 * the server); results are posted to them only, never to `*`.
 * @type {string[]}
 */
const parentOrigins = JSON.parse(
  document.querySelector('meta[name="parent-origins"]')?.getAttribute("content") || "[]",
);

/**
 * Posts to the parent, once per allowed origin: the browser delivers it only
 * if the parent is on that origin, so another site framing the page gets nothing.
 * @param {ParentMessage} msg
 */
const post = (msg) => {
  if (window.parent === window) return;
  for (const origin of parentOrigins) window.parent.postMessage(msg, origin);
};

/**
 * An element: `text` sets its text, `on…` adds a listener, anything else is an attribute.
 * @param {string} tag
 * @param {Record<string, string | ((e: Event) => void)>} [attrs]
 * @param {...(Node | string)} children
 * @returns {HTMLElement}
 */
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (typeof v === "function") e.addEventListener(k.slice(2), v);
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

/** @param {...Node} nodes */
function show(...nodes) {
  $("body").replaceChildren(...nodes);
}

function close() {
  post({ type: "close" });
  if (isLink) show(el("p", { class: "muted", text: "You can close this window." }));
}

/**
 * Cancel is the user's choice, not an error: the dialog just closes (a
 * Connect Link goes back to the app, saying it was cancelled).
 */
function cancel() {
  if (isLink && redirect((info && info.error_redirect_uri) || undefined, { error: "cancelled" })) return;
  close();
}

/**
 * Sends a Connect Link's user on to the redirect URL, if there is one.
 * @param {string | undefined} url
 * @param {Record<string, string>} extra query parameters to add
 * @returns {boolean} whether it redirected
 */
function redirect(url, extra) {
  if (!url) return false;
  const u = new URL(url);
  for (const [k, v] of Object.entries(extra)) u.searchParams.set(k, v);
  location.assign(u.toString());
  return true;
}

/**
 * @param {string} message
 * @param {string} [redirectUrl]
 */
function fail(message, redirectUrl) {
  post({ type: "error", error: message });
  if (isLink && redirect(redirectUrl || (info && info.error_redirect_uri) || undefined, { error: message })) {
    return;
  }
  const retry = el("button", { type: "button", class: "secondary", text: "Close", onclick: close });
  show(el("p", { class: "error", role: "alert", text: message }), el("div", { class: "actions" }, retry));
  retry.focus();
}

/**
 * @param {"approve" | "deny"} decision
 * @param {Record<string, string>} [fields] what the key form holds
 */
async function submit(decision, fields) {
  show(el("p", { class: "muted", text: decision === "approve" ? "Connecting…" : "Cancelling…" }));
  /** @type {Response} */
  let res;
  /** @type {AuthorizeResult} */
  let data;
  try {
    res = await fetch(base + "/_static/connect/authorize", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token, app: appSlug, decision, fields, accountId }),
    });
    data = await res.json();
  } catch (err) {
    return fail("Could not reach the sandbox: " + /** @type {Error} */ (err).message);
  }
  if (!res.ok) {
    if (res.status === 400 && info && info.app && info.app.auth_type === "keys") {
      return renderKeyForm(data.error);
    }
    return fail(data.error || "Connection failed", data.redirect);
  }
  const connected = data.accountId || "";
  post({ type: "success", authProvisionId: connected });
  if (isLink && redirect(data.redirect, { account_id: connected })) return;
  show(
    el("p", {
      class: "ok",
      role: "status",
      text: (accountId ? "Reconnected. Account " : "Connected. Account ") + connected + " is ready.",
    }),
  );
  setTimeout(close, 600);
}

/**
 * @param {TokenInfo} info
 * @param {WireApp} app
 */
function renderOAuth(info, app) {
  const approve = el("button", {
    type: "button",
    class: "primary",
    text: "Allow access",
    onclick: () => submit("approve"),
  });
  const deny = el("button", {
    type: "button",
    class: "secondary",
    text: "Deny",
    onclick: () => submit("deny"),
  });
  show(
    el("p", {
      text: (info.project_app_name || "This app") + " wants to access your " + app.name + " account" +
        (accountId ? " again (account " + accountId + ": new credentials, same account)." : "."),
    }),
    el(
      "ul",
      { class: "scopes" },
      el("li", { text: "Read and write your data in " + app.name }),
      el("li", { text: "Act on your behalf while connected" }),
    ),
    el("p", {
      class: "hint",
      text: "This is the local sandbox: no real " + app.name.replace(" (sandbox)", "") +
        " account is involved.",
    }),
    el("div", { class: "actions" }, approve, deny),
  );
  approve.focus();
}

/** @param {string} [error] what was wrong with the last submission */
function renderKeyForm(error) {
  const app = /** @type {WireApp} */ (info && info.app);
  /** @type {CustomField[]} */
  const fields = JSON.parse(app.custom_fields_json || "[]");
  const form = /** @type {HTMLFormElement} */ (el("form", { novalidate: "" }));
  for (const f of fields) {
    const id = "f_" + f.name;
    form.append(
      el("label", { for: id, text: f.label }),
      el("input", {
        id,
        name: f.name,
        type: f.secret ? "password" : "text",
        autocomplete: "off",
        required: "",
        "aria-describedby": id + "_hint",
      }),
      el("p", { class: "hint", id: id + "_hint", text: f.description || "" }),
    );
  }
  if (error) form.append(el("p", { class: "error", role: "alert", text: error }));
  form.append(
    el(
      "div",
      { class: "actions" },
      el("button", { type: "submit", class: "primary", text: "Connect" }),
      el("button", { type: "button", class: "secondary", text: "Cancel", onclick: cancel }),
    ),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    /** @type {Record<string, string>} */
    const values = {};
    for (const [k, v] of new FormData(form).entries()) values[k] = String(v);
    submit("approve", values);
  });
  show(form);
  form.querySelector("input")?.focus();
}

async function main() {
  if (params.get("hideClose") === "true") $("close").hidden = true;
  $("close").addEventListener("click", close);
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape") close();
  });
  if (!token || !appSlug) {
    $("title").textContent = "Connect";
    return fail("The Connect page needs a token and an app");
  }
  /** @type {TokenInfo} */
  let checked;
  try {
    const res = await fetch(
      base + "/v1/connect/tokens/" + encodeURIComponent(token) + "/validate?app_id=" +
        encodeURIComponent(appSlug),
    );
    checked = await res.json();
  } catch (err) {
    return fail("Could not reach the sandbox: " + /** @type {Error} */ (err).message);
  }
  info = checked;
  if (!checked.success) {
    $("title").textContent = "Connect";
    return fail(checked.error || "This connect token is not valid");
  }
  if (!checked.app) {
    $("title").textContent = "Connect";
    return fail("Unknown app: " + appSlug);
  }
  $("title").textContent = (accountId ? "Reconnect " : "Connect ") + checked.app.name;
  /** @type {HTMLImageElement} */ ($("icon")).src = checked.app.img_src;
  if (checked.app.auth_type === "keys") renderKeyForm();
  else renderOAuth(checked, checked.app);
}

main();

// A module (served with type="module"), so its names stay out of the global scope.
export {};
