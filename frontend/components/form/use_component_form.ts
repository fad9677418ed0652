/**
 * One component's form state, for as long as that component is chosen (the
 * workbench remounts it with `key={componentKey}`, so nothing, not even a
 * dynamicPropsId, outlives the component it belongs to):
 *
 * - the configured props, restored from a link and kept in it (no secrets);
 * - the dynamic props: connect-react cannot rehydrate them (Pipedream issue
 *   #18625), so a restored form reloads them here and hands the form a
 *   component whose props are the reloaded ones;
 * - the account each app prop starts with (the last used or newest, never
 *   "connect new");
 * - what the user typed in integer fields, as typed (connect-react would
 *   `parseInt` "1.5" into 1);
 * - values made stale by a change above them, cleared;
 * - what the field parts and the submit help need (FormExtras).
 */
import { useComponent } from "@pipedream/connect-react";
import type { PipedreamClient } from "@pipedream/sdk/browser";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { AccountView } from "../../../shared/api.ts";
import { messageOf } from "../../lib/api.ts";
import {
  accountIdOf,
  clearDependents,
  integerProblem,
  pickAccount,
  type PropSpec,
  type Values,
  withIntegers,
} from "../../lib/form_values.ts";
import type { FormExtras } from "./extras.ts";
import type { FormClientHooks } from "./form_client.ts";

type Component = NonNullable<ReturnType<typeof useComponent>["component"]>;
export type FormRequest = { configuredProps: Values; dynamicPropsId?: string };
export type Restored = { values?: Values; dynamicPropsId?: string };

const LAST_ACCOUNT = "pdc-last-account:";
const lastUsedAccount = (app: string) => {
  try {
    return localStorage.getItem(LAST_ACCOUNT + app) ?? undefined;
  } catch {
    return undefined;
  }
};
const rememberAccount = (app: string, id: string) => {
  try {
    localStorage.setItem(LAST_ACCOUNT + app, id);
  } catch { /* storage disabled */ }
};

export function useComponentForm(
  { client, externalUserId, componentKey, accounts, restored, bridge }: {
    client: PipedreamClient;
    externalUserId: string;
    componentKey: string;
    accounts?: AccountView[];
    restored?: Restored;
    /** Where the workbench's client finds this form's handlers. */
    bridge: { current: Partial<FormClientHooks> };
  },
) {
  const loaded = useComponent({ key: componentKey });
  const queries = useQueryClient();
  const [values, setValues] = useState<Values>(restored?.values ?? {});
  const [dynamicProps, setDynamicProps] = useState<{ id?: string; configurableProps?: PropSpec[] }>();
  const [dynamicPropsId, setDynamicPropsId] = useState<string>();
  const [rehydrated, setRehydrated] = useState<{ component?: Component; note?: string; done: boolean }>({
    done: false,
  });
  const [optionErrors, setOptionErrors] = useState<Record<string, string>>({});
  const [badInput, setBadInput] = useState<ReadonlySet<string>>(new Set());
  const [attempted, setAttempted] = useState(false);
  const touched = useRef(new Set<string>());
  const preselected = useRef(new Set<string>());
  const lastInput = useRef<{ name: string; text: string; bad: boolean } | undefined>(undefined);

  const component = loaded.component as Component | undefined;

  // A restored form whose props depend on a reload-props choice: reload them now.
  useEffect(() => {
    if (!component || rehydrated.done) return;
    const initial = restored?.values ?? {};
    const needs = (component.configurableProps as PropSpec[]).some((p) =>
      p.reloadProps && initial[p.name] !== undefined
    );
    if (!needs) return setRehydrated({ done: true });
    let current = true;
    const reload = (id?: string) =>
      client.components.reloadProps({
        id: component.key,
        externalUserId,
        configuredProps: initial as never,
        ...(id ? { dynamicPropsId: id } : {}),
      });
    reload(restored?.dynamicPropsId)
      .catch((err) => restored?.dynamicPropsId ? reload() : Promise.reject(err))
      .then((res) => {
        if (!current) return;
        const dp = res.dynamicProps;
        if (dp?.configurableProps) {
          setDynamicPropsId(dp.id);
          setRehydrated({ done: true, component: { ...component, configurableProps: dp.configurableProps } });
        } else setRehydrated({ done: true });
      }, (err) => {
        if (current) {
          setRehydrated({
            done: true,
            note: `Some fields could not be restored (${messageOf(err)}); choose them again.`,
          });
        }
      });
    return () => {
      current = false;
    };
  }, [component, rehydrated.done]);

  const formComponent = rehydrated.done ? rehydrated.component ?? component : undefined;
  const props: PropSpec[] =
    (dynamicProps?.configurableProps ?? formComponent?.configurableProps ?? []) as PropSpec[];
  const propsRef = useRef(props);
  propsRef.current = props;

  // Each app prop starts with an account: the last used here, else the newest.
  useEffect(() => {
    if (!formComponent || !accounts) return;
    setValues((prev) => {
      let next = prev;
      for (const p of propsRef.current) {
        if (p.type !== "app" || !p.app) continue;
        const id = accountIdOf(prev[p.name]);
        if (id && accounts.some((a) => a.id === id)) continue;
        // The user cleared it on purpose: leave it to them.
        if (!id && prev[p.name] === undefined && preselected.current.has(p.name)) continue;
        const pick = pickAccount(accounts, p.app, lastUsedAccount(p.app));
        if (!pick) continue;
        preselected.current.add(p.name);
        next = { ...next, [p.name]: { authProvisionId: pick.id } };
      }
      return next;
    });
  }, [formComponent, accounts]);

  useEffect(() => {
    for (const p of props) {
      const id = p.type === "app" && p.app ? accountIdOf(values[p.name]) : undefined;
      if (id && p.app) rememberAccount(p.app, id);
    }
  }, [values, props]);

  // The workbench's client asks this form for its dynamicPropsId and reports option loads.
  useEffect(() => {
    bridge.current.dynamicPropsId = () => dynamicPropsId;
    bridge.current.optionsLoaded = (name, error) =>
      setOptionErrors((prev) => {
        if (prev[name] === error) return prev;
        const next = { ...prev };
        if (error) next[name] = error;
        else delete next[name];
        return next;
      });
  }, [dynamicPropsId]);

  const onUpdateConfiguredProps = useCallback((incoming: Values) => {
    let v = incoming;
    const edit = lastInput.current;
    lastInput.current = undefined;
    if (edit) {
      setBadInput((prev) => {
        if (prev.has(edit.name) === edit.bad) return prev;
        const next = new Set(prev);
        if (edit.bad) next.add(edit.name);
        else next.delete(edit.name);
        return next;
      });
      // Keep "1.5" as typed: the field says it is not a whole number.
      if (edit.text !== "" && v[edit.name] !== undefined && String(v[edit.name]) !== edit.text) {
        v = { ...v, [edit.name]: edit.text };
      }
    }
    for (const [k, val] of Object.entries(v)) if (val !== undefined) touched.current.add(k);
    setValues((prev) => clearDependents(propsRef.current, prev, v));
  }, []);

  const onUpdateDynamicProps = useCallback((dp: { id?: string; configurableProps?: unknown[] }) => {
    setDynamicProps(dp as { id?: string; configurableProps?: PropSpec[] });
    setDynamicPropsId(dp?.id);
  }, []);

  /** Records what was typed into integer fields before connect-react reads it. */
  const onInputCapture = useCallback((e: FormEvent<HTMLElement>) => {
    const el = e.target;
    if (el instanceof HTMLInputElement && el.type === "number" && el.name) {
      lastInput.current = { name: el.name, text: el.value, bad: el.validity.badInput };
    }
  }, []);

  /** The request for a run or deploy, or undefined when a field is still wrong. */
  const request = (formProps: PropSpec[], configured: Values): FormRequest | undefined => {
    const wrong = formProps.some((p) =>
      p.type === "integer" && (badInput.has(p.name) || integerProblem(p, configured[p.name]))
    );
    if (wrong) {
      setAttempted(true);
      return undefined;
    }
    return {
      configuredProps: withIntegers(formProps, configured),
      ...(dynamicPropsId ? { dynamicPropsId } : {}),
    };
  };

  const extras: FormExtras = useMemo(() => ({
    optionErrors,
    badInput,
    touched: touched.current,
    attempted,
    revalidate: () => setValues((v) => ({ ...v })),
    retryOptions: (name: string) => {
      setOptionErrors(({ [name]: _gone, ...rest }) => rest);
      queries.invalidateQueries({
        predicate: (q) =>
          q.queryKey[0] === "componentConfigure" &&
          (q.queryKey[1] as { propName?: string } | undefined)?.propName === name,
      });
    },
  }), [optionErrors, badInput, attempted, values]);

  return {
    loading: loaded.isLoading || (Boolean(component) && !rehydrated.done),
    error: loaded.error ? messageOf(loaded.error) : undefined,
    retry: () => loaded.refetch(),
    component: formComponent,
    restoreNote: rehydrated.note,
    values,
    props,
    dynamicPropsId,
    onUpdateConfiguredProps,
    onUpdateDynamicProps,
    onInputCapture,
    request,
    extras,
  };
}
