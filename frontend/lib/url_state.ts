/** State that matters (tab, app, component) lives in the URL, so a link reopens it. */
import { useCallback, useEffect, useState } from "react";

export type UrlState = { tab: "accounts" | "run" | "triggers"; app?: string; component?: string };

function read(): UrlState {
  const q = new URLSearchParams(location.search);
  const tab = q.get("tab");
  return {
    tab: tab === "run" || tab === "triggers" ? tab : "accounts",
    ...(q.get("app") ? { app: q.get("app")! } : {}),
    ...(q.get("component") ? { component: q.get("component")! } : {}),
  };
}

export function useUrlState(): [UrlState, (next: Partial<UrlState>) => void] {
  const [state, setState] = useState(read);
  useEffect(() => {
    const onPop = () => setState(read());
    addEventListener("popstate", onPop);
    return () => removeEventListener("popstate", onPop);
  }, []);
  const update = useCallback((next: Partial<UrlState>) => {
    setState((prev) => {
      const merged = { ...prev, ...next };
      const q = new URLSearchParams(location.search);
      for (const k of ["tab", "app", "component"] as const) {
        const v = merged[k];
        if (v) q.set(k, v);
        else q.delete(k);
      }
      q.delete("connect");
      q.delete("error");
      q.delete("account_id");
      history.pushState(null, "", `${location.pathname}?${q}`);
      return merged;
    });
  }, []);
  return [state, update];
}
