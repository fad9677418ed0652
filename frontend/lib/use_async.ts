/** Loads something, with its pending state, error and a retry. */
import { useCallback, useEffect, useState } from "react";
import { messageOf } from "./api.ts";

export type Async<T> = { data?: T; error?: string; loading: boolean; reload: () => void };

export function useAsync<T>(load: () => Promise<T>, deps: unknown[] = []): Async<T> {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (err) => live && setState((s) => ({ ...s, error: messageOf(err), loading: false })),
    );
    return () => {
      live = false;
    };
  }, [...deps, n]);
  return { ...state, reload: useCallback(() => setN((x) => x + 1), []) };
}
