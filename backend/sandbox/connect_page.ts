/**
 * The sandbox's Connect page: what Pipedream shows in its iframe (or at the
 * Connect Link). An authorize screen for OAuth apps, an API-key form for key
 * apps; it reports to its parent with the same postMessage protocol as the
 * real page (`success` with `authProvisionId`, `error`, `close`).
 * Script and styles are separate files so a strict CSP can allow them.
 */
export const CONNECT_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Connect an account (sandbox)</title>
<link rel="stylesheet" href="connect.css">
<script type="module" src="connect.js"></script>
</head>
<body>
<main class="card" aria-labelledby="title">
  <button type="button" class="close" id="close" aria-label="Close">×</button>
  <p class="badge">Pipedream Connect · sandbox</p>
  <div class="head"><img id="icon" alt="" width="48" height="48"><h1 id="title">Loading…</h1></div>
  <div id="body" aria-live="polite"><p class="muted">Checking your connect token…</p></div>
</main>
</body>
</html>
`;

export const CONNECT_CSS = `
:root { color-scheme: light dark; --bg: #f4f5f7; --card: #fff; --fg: #1b1f24; --muted: #5b6470; --accent: #1f6feb; --danger: #c62828; --border: #d5d9de; }
@media (prefers-color-scheme: dark) { :root { --bg: #0f1115; --card: #171a21; --fg: #e8eaed; --muted: #a0a8b3; --accent: #4c8dff; --danger: #ff6b6b; --border: #2b313b; } }
* { box-sizing: border-box; }
html, body { margin: 0; min-height: 100%; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; background: color-mix(in srgb, var(--bg) 92%, transparent); color: var(--fg); display: grid; place-items: center; min-height: 100vh; padding: 16px; }
.card { position: relative; width: min(420px, 100%); background: var(--card); border: 1px solid var(--border); border-radius: 14px; padding: 24px; box-shadow: 0 12px 40px rgba(0,0,0,.18); }
.badge { margin: 0 0 12px; font-size: 12px; letter-spacing: .04em; text-transform: uppercase; color: var(--muted); }
.head { display: flex; align-items: center; gap: 12px; }
.head img { border-radius: 10px; }
h1 { font-size: 20px; margin: 0; }
.muted { color: var(--muted); }
.actions { display: flex; gap: 8px; margin-top: 20px; flex-wrap: wrap; }
button.primary, button.secondary { font: inherit; padding: 10px 16px; border-radius: 8px; cursor: pointer; border: 1px solid var(--border); }
button.primary { background: var(--accent); color: #fff; border-color: var(--accent); }
button.secondary { background: transparent; color: var(--fg); }
button:focus-visible, input:focus-visible { outline: 3px solid color-mix(in srgb, var(--accent) 60%, transparent); outline-offset: 2px; }
.close { position: absolute; top: 10px; right: 12px; font-size: 22px; background: none; border: 0; color: var(--muted); cursor: pointer; line-height: 1; padding: 4px 8px; border-radius: 6px; }
label { display: block; font-weight: 600; margin-top: 16px; }
input { width: 100%; font: inherit; padding: 10px; border-radius: 8px; border: 1px solid var(--border); background: var(--bg); color: var(--fg); margin-top: 6px; }
.hint { font-size: 13px; color: var(--muted); margin: 6px 0 0; }
.error { color: var(--danger); }
.ok { color: #2e7d32; }
ul.scopes { padding-left: 20px; color: var(--muted); }
`;

export const CONNECT_JS = `
const params = new URLSearchParams(location.search);
const token = params.get("token") || "";
const appSlug = params.get("app") || "";
const isLink = params.get("connectLink") === "true" || window.parent === window;
const base = location.pathname.replace(/\\/_static\\/connect\\.html$/, "");
const $ = (id) => document.getElementById(id);
const post = (msg) => { if (window.parent !== window) window.parent.postMessage(msg, "*"); };
let info = null;

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "text") e.textContent = v; else if (k.startsWith("on")) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

function show(...nodes) { $("body").replaceChildren(...nodes); }

function close() {
  post({ type: "close" });
  if (isLink) show(el("p", { class: "muted", text: "You can close this window." }));
}

function redirect(url, extra) {
  if (!url) return false;
  const u = new URL(url);
  for (const [k, v] of Object.entries(extra)) u.searchParams.set(k, v);
  location.assign(u.toString());
  return true;
}

function fail(message, redirectUrl) {
  post({ type: "error", error: message });
  if (isLink && redirect(redirectUrl || (info && info.error_redirect_uri), { error: message })) return;
  const retry = el("button", { type: "button", class: "secondary", text: "Close", onclick: close });
  show(el("p", { class: "error", role: "alert", text: message }), el("div", { class: "actions" }, retry));
  retry.focus();
}

async function submit(decision, fields) {
  show(el("p", { class: "muted", text: decision === "approve" ? "Connecting…" : "Cancelling…" }));
  let res, data;
  try {
    res = await fetch(base + "/_static/connect/authorize", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token, app: appSlug, decision, fields }),
    });
    data = await res.json();
  } catch (err) {
    return fail("Could not reach the sandbox: " + err.message);
  }
  if (!res.ok) {
    if (res.status === 400 && info && info.app && info.app.auth_type === "keys") return renderKeyForm(data.error);
    return fail(data.error || "Connection failed", data.redirect);
  }
  post({ type: "success", authProvisionId: data.accountId });
  if (isLink && redirect(data.redirect, { account_id: data.accountId })) return;
  show(el("p", { class: "ok", role: "status", text: "Connected. Account " + data.accountId + " is ready." }));
  setTimeout(close, 600);
}

function renderOAuth(app) {
  const approve = el("button", { type: "button", class: "primary", text: "Allow access", onclick: () => submit("approve") });
  const deny = el("button", { type: "button", class: "secondary", text: "Deny", onclick: () => submit("deny") });
  show(
    el("p", { text: (info.project_app_name || "This app") + " wants to access your " + app.name + " account." }),
    el("ul", { class: "scopes" }, el("li", { text: "Read and write your data in " + app.name }), el("li", { text: "Act on your behalf while connected" })),
    el("p", { class: "hint", text: "This is the local sandbox: no real " + app.name.replace(" (sandbox)", "") + " account is involved." }),
    el("div", { class: "actions" }, approve, deny),
  );
  approve.focus();
}

function renderKeyForm(error) {
  const app = info.app;
  const fields = JSON.parse(app.custom_fields_json || "[]");
  const form = el("form", { novalidate: "" });
  for (const f of fields) {
    const id = "f_" + f.name;
    form.append(el("label", { for: id, text: f.label }), el("input", { id, name: f.name, type: f.secret ? "password" : "text", autocomplete: "off", required: "", "aria-describedby": id + "_hint" }), el("p", { class: "hint", id: id + "_hint", text: f.description || "" }));
  }
  if (error) form.append(el("p", { class: "error", role: "alert", text: error }));
  form.append(el("div", { class: "actions" }, el("button", { type: "submit", class: "primary", text: "Connect" }), el("button", { type: "button", class: "secondary", text: "Cancel", onclick: () => submit("deny") })));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const values = Object.fromEntries(new FormData(form).entries());
    submit("approve", values);
  });
  show(form);
  form.querySelector("input")?.focus();
}

async function main() {
  if (params.get("hideClose") === "true") $("close").hidden = true;
  $("close").addEventListener("click", close);
  document.addEventListener("keydown", (e) => { if (e.key === "Escape") close(); });
  if (!token || !appSlug) { $("title").textContent = "Connect"; return fail("The Connect page needs a token and an app"); }
  try {
    const res = await fetch(base + "/v1/connect/tokens/" + encodeURIComponent(token) + "/validate?app_id=" + encodeURIComponent(appSlug));
    info = await res.json();
  } catch (err) {
    return fail("Could not reach the sandbox: " + err.message);
  }
  if (!info.success) { $("title").textContent = "Connect"; return fail(info.error || "This connect token is not valid"); }
  if (!info.app) { $("title").textContent = "Connect"; return fail("Unknown app: " + appSlug); }
  $("title").textContent = "Connect " + info.app.name;
  $("icon").src = info.app.img_src;
  if (info.app.auth_type === "keys") renderKeyForm(); else renderOAuth(info.app);
}
main();
`;
