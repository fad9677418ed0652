/** Browser entry: reads the session the server injected and renders the app. */
import { createRoot } from "react-dom/client";
import type { SessionResponse } from "../shared/api.ts";
import { App } from "./components/App.tsx";
import { applyInitialTheme } from "./lib/theme.ts";

const raw = document.getElementById("initial-data")?.textContent ?? "{}";
const session = JSON.parse(raw).session as SessionResponse;
applyInitialTheme();
createRoot(document.getElementById("root")!).render(<App session={session} />);
