/**
 * Browser entry: reads the session the server injected and renders the app.
 * A first visit has no session yet (reading never creates one): the page
 * starts one before rendering.
 */
import { createRoot } from "react-dom/client";
import type { SessionResponse, SessionState } from "../shared/api.ts";
import { App } from "./components/App.tsx";
import { ErrorNote } from "./components/common.tsx";
import { api, messageOf } from "./lib/api.ts";
import { applyInitialTheme } from "./lib/theme.ts";

const raw = document.getElementById("initial-data")?.textContent ?? "{}";
const initial = JSON.parse(raw).session as SessionState;
applyInitialTheme();
const root = createRoot(document.getElementById("root")!);
try {
  const session = initial.externalUserId ? initial as SessionResponse : await api.startSession();
  root.render(<App session={session} />);
} catch (err) {
  root.render(
    <ErrorNote message={`Could not start a session: ${messageOf(err)}`} onRetry={() => location.reload()} />,
  );
}
