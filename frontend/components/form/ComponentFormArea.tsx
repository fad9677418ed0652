/**
 * One component's connect-react form: connect-react's own form provider and
 * form, with the app's submit help beside it (inside the provider, so it
 * reads the same state). The run or deploy is the workbench's; its outcome
 * goes back into the form as `sdkResponse`, as in Pipedream's demo, so
 * errors show in the form and under the fields they name.
 */
import { FormContextProvider, InternalComponentForm } from "@pipedream/connect-react";
import type { PipedreamClient } from "@pipedream/sdk/browser";
import { useEffect, useId, useRef, useState } from "react";
import type { AccountView } from "../../../shared/api.ts";
import { messageOf } from "../../lib/api.ts";
import { type PropSpec, shareableValues, type Values } from "../../lib/form_values.ts";
import { ErrorNote, Spinner } from "../common.tsx";
import { FormExtrasContext } from "./extras.ts";
import type { FormClientHooks } from "./form_client.ts";
import { labelFieldInputs } from "./label_inputs.ts";
import { SubmitHelp } from "./SubmitHelp.tsx";
import { type FormRequest, type Restored, useComponentForm } from "./use_component_form.ts";

export type FormState = { values: Values; shareable: Values; dynamicPropsId?: string; props: PropSpec[] };

export function ComponentFormArea(
  { client, externalUserId, componentKey, noun, accounts, restored, bridge, submit, onState }: {
    client: PipedreamClient;
    externalUserId: string;
    componentKey: string;
    /** "action" or "trigger", for messages. */
    noun: string;
    accounts?: AccountView[];
    restored?: Restored;
    bridge: { current: Partial<FormClientHooks> };
    /** Runs or deploys; what it resolves to is handed to the form as its sdkResponse. */
    submit: (request: FormRequest) => Promise<unknown>;
    onState: (state: FormState) => void;
  },
) {
  const formId = `form-${useId().replace(/[^a-zA-Z0-9_-]/g, "")}`;
  const [sdkResponse, setSdkResponse] = useState<unknown>();
  const form = useComponentForm({
    client,
    externalUserId,
    componentKey,
    accounts,
    restored,
    bridge,
  });
  useEffect(() => {
    onState({
      values: form.values,
      shareable: shareableValues(form.props, form.values),
      dynamicPropsId: form.dynamicPropsId,
      props: form.props,
    });
  }, [form.values, form.dynamicPropsId, form.props]);

  // connect-react leaves some controls without a name (list items, key/value rows).
  const wrapper = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = wrapper.current;
    if (!el) return;
    labelFieldInputs(el);
    const watch = new MutationObserver(() => labelFieldInputs(el));
    watch.observe(el, { childList: true, subtree: true });
    return () => watch.disconnect();
  }, [form.component]);

  if (form.error) {
    return <ErrorNote message={`Could not load ${componentKey}: ${form.error}`} onRetry={form.retry} />;
  }
  if (!form.component) return <Spinner label={`Loading the ${noun}…`} />;

  const onSubmit = async (ctx: { configurableProps: unknown[]; configuredProps: Values }) => {
    const request = form.request(ctx.configurableProps as PropSpec[], ctx.configuredProps);
    if (!request) return;
    setSdkResponse([]);
    try {
      setSdkResponse(await submit(request));
    } catch (err) {
      setSdkResponse([{
        name: `The ${noun === "action" ? "run" : "deploy"} failed`,
        message: messageOf(err),
        stack: "",
      }]);
    }
  };

  return (
    <FormExtrasContext.Provider value={form.extras}>
      {form.restoreNote && <ErrorNote message={form.restoreNote} />}
      <p className="muted small-text form-legend">
        Fields marked <span className="required-mark" aria-hidden="true">*</span>
        <span className="visually-hidden">with an asterisk</span> are required.
      </p>
      <div
        className="form"
        id={formId}
        data-testid="component-form"
        ref={wrapper}
        onInputCapture={form.onInputCapture}
      >
        <FormContextProvider
          props={{
            externalUserId,
            component: form.component,
            configuredProps: form.values as never,
            onUpdateConfiguredProps: form.onUpdateConfiguredProps as never,
            onUpdateDynamicProps: form.onUpdateDynamicProps as never,
            onSubmit: onSubmit as never,
            sdkResponse: sdkResponse as never,
          }}
        >
          <InternalComponentForm />
          <SubmitHelp formId={formId} />
        </FormContextProvider>
      </div>
    </FormExtrasContext.Provider>
  );
}
