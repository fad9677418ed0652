/**
 * The parts of every connect-react field that the app replaces through
 * CustomizeProvider: a label that marks required fields and is tied to the
 * field's control, and errors said in words (connect-react shows its raw
 * codes, and only with `enableDebugging`).
 */
import { type FormContext, type FormFieldContext, useCustomize } from "@pipedream/connect-react";
import { type CSSProperties, useEffect } from "react";
import { fieldMessages, INTERNAL_CODES, type PropSpec, sdkErrorsFor } from "../../lib/form_values.ts";
import { useFormExtras } from "./extras.ts";

// deno-lint-ignore no-explicit-any
type Field = FormFieldContext<any>;
// deno-lint-ignore no-explicit-any
type Form = FormContext<any>;

/** The element a field's label names: react-select's input for accounts, the control's own id otherwise. */
export const controlIdOf = (field: { id: string; prop: { type: string } }) =>
  field.prop.type === "app" ? `react-select-${field.id}-input` : field.id;

export function FieldLabel(props: { text: string; field: Field; form: Form }) {
  const { text, field } = props;
  const { getProps, theme } = useCustomize();
  const base: CSSProperties = {
    color: theme.colors.neutral90,
    fontWeight: 600,
    gridArea: "label",
    lineHeight: "1.5",
  };
  const required = !field.prop.optional;
  return (
    <label
      id={`${field.id}-label`}
      htmlFor={controlIdOf(field)}
      data-text={text}
      {...getProps("label", base, props)}
    >
      {text}
      {required && (
        <>
          <span className="required-mark" aria-hidden="true">*</span>
          <span className="visually-hidden">(required)</span>
        </>
      )}
    </label>
  );
}

export function FieldErrors({ field, form }: { field: Field; form: Form }) {
  const extras = useFormExtras();
  const prop = field.prop as PropSpec;
  const codes: string[] = form.errors[prop.name] ?? [];
  const stale = codes.some((c) => INTERNAL_CODES.has(c)) || form.propsNeedConfiguring.includes(prop.name);
  // connect-react checked this field before it mounted; now that it has, check again.
  useEffect(() => {
    if (stale) extras.revalidate();
  }, []);
  const messages = [
    ...fieldMessages(prop, form.configuredProps[prop.name], codes, {
      badInput: extras.badInput.has(prop.name),
      touched: extras.touched.has(prop.name),
      attempted: extras.attempted,
    }),
    ...sdkErrorsFor(prop, form.sdkErrors),
  ].filter((m, i, all) => all.indexOf(m) === i);
  const optionsError = extras.optionErrors[prop.name];
  if (!messages.length && !optionsError) return null;
  return (
    <div
      className="field-errors"
      id={`${field.id}-error`}
      style={{ gridArea: "error" }}
      data-testid="field-error"
    >
      {messages.map((m) => <p key={m}>{m}</p>)}
      {optionsError && (
        <p>
          {optionsError}{" "}
          <button type="button" className="link" onClick={() => extras.retryOptions(prop.name)}>
            Try again
          </button>
        </p>
      )}
    </div>
  );
}
