/**
 * State that matters lives in the URL, so a reload or a shared link reopens
 * it: the tab, the app, the component, and the form's configured props
 * (`props`, JSON, without secrets or accounts: see form_values.ts) with its
 * `dynamicPropsId` (`dpid`). Choosing things pushes history entries; typing in
 * the form replaces the current one.
 */
import { useCallback, useEffect, useState } from "react";

export type Tab = "accounts" | "run" | "triggers";
export type UrlState = { tab: Tab; app?: string; component?: string; props?: string; dpid?: string };

const KEYS = ["tab", "app", "component", "props", "dpid"] as const;
/** Longer props are kept out of the URL (they still live in the page until it closes). */
export const MAX_PROPS_IN_URL = 4000;

function read(): UrlState {
  const q = new URLSearchParams(location.search);
  const tab = q.get("tab");
  const state: UrlState = { tab: tab === "run" || tab === "triggers" ? tab : "accounts" };
  for (const k of ["app", "component", "props", "dpid"] as const) {
    const v = q.get(k);
    if (v) state[k] = v;
  }
  return state;
}

export function useUrlState(): [UrlState, (next: Partial<UrlState>, opts?: { replace?: boolean }) => void] {
  const [state, setState] = useState(read);
  useEffect(() => {
    const onPop = () => setState(read());
    addEventListener("popstate", onPop);
    return () => removeEventListener("popstate", onPop);
  }, []);
  const update = useCallback((next: Partial<UrlState>, opts: { replace?: boolean } = {}) => {
    setState((prev) => {
      const merged = { ...prev, ...next };
      // A different app or component starts a new form.
      if (
        ("app" in next && next.app !== prev.app) || ("component" in next && next.component !== prev.component)
      ) {
        if (!("props" in next)) merged.props = undefined;
        if (!("dpid" in next)) merged.dpid = undefined;
      }
      if (merged.props && merged.props.length > MAX_PROPS_IN_URL) merged.props = undefined;
      const q = new URLSearchParams(location.search);
      for (const k of KEYS) {
        const v = merged[k];
        if (v) q.set(k, v);
        else q.delete(k);
      }
      for (const k of ["connect", "error", "account_id"]) q.delete(k);
      const url = `${location.pathname}?${q}`;
      if (url !== `${location.pathname}${location.search}`) {
        if (opts.replace) history.replaceState(null, "", url);
        else history.pushState(null, "", url);
      }
      return merged;
    });
  }, []);
  return [state, update];
}
