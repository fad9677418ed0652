/**
 * Under the Submit button: why it is disabled (which fields are missing or
 * wrong, each a button that takes you there) and what the last run or deploy
 * said went wrong. Reads connect-react's own form state, so it is rendered
 * inside FormContextProvider, beside InternalComponentForm.
 */
import { useFormContext } from "@pipedream/connect-react";
import { useEffect } from "react";
import { fieldMessages, missingUnchecked, type PropSpec } from "../../lib/form_values.ts";
import { useFormExtras } from "./extras.ts";
import { controlIdOf } from "./field_parts.tsx";

type Problem = { name: string; label: string; message: string; controlId?: string };

export function SubmitHelp({ formId }: { formId: string }) {
  const form = useFormContext();
  const extras = useFormExtras();
  const needing = new Set(form.propsNeedConfiguring);
  const problems: Problem[] = [];
  for (const prop of form.configurableProps as PropSpec[]) {
    if (prop.hidden || (prop.optional && !form.optionalPropIsEnabled(prop as never))) continue;
    const field = form.fields[prop.name];
    const value = form.configuredProps[prop.name];
    const codes = [...form.errors[prop.name] ?? [], ...(missingUnchecked(prop, value) ? ["required"] : [])];
    const messages = fieldMessages(prop, value, codes, {
      badInput: extras.badInput.has(prop.name),
      forSummary: true,
    });
    if (!messages.length) continue;
    const app = field && "app" in field.extra
      ? (field.extra.app as { name?: string } | undefined)
      : undefined;
    problems.push({
      name: prop.name,
      label: prop.type === "app" ? `${app?.name ?? prop.app ?? "App"} account` : prop.label || prop.name,
      message: messages[0],
      controlId: field ? controlIdOf(field) : undefined,
    });
  }
  const disabled = needing.size > 0;
  const helpId = `${formId}-submit-help`;
  // Screen readers hear the reason when they reach the disabled button.
  useEffect(() => {
    const submit = document.querySelector(`#${CSS.escape(formId)} .pd-controlsubmit`);
    if (!submit) return;
    if (problems.length) submit.setAttribute("aria-describedby", helpId);
    else submit.removeAttribute("aria-describedby");
  });
  const shown = form.sdkErrors.filter((e) => e.name !== "ConfigurationError");

  return (
    <>
      {problems.length > 0 && !form.submitting && (
        <div className="submit-help" id={helpId} data-testid="submit-help">
          <p>
            {disabled
              ? `Submit is disabled until ${problems.length === 1 ? "this is" : "these are"} done:`
              : "Fix this before submitting:"}
          </p>
          <ul>
            {problems.map((p) => (
              <li key={p.name}>
                <button
                  type="button"
                  className="link"
                  onClick={() => document.getElementById(p.controlId ?? "")?.focus()}
                >
                  {p.label}
                </button>{" "}
                — {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {shown.length > 0 && (
        <div className="error-note sdk-errors" role="alert" data-testid="sdk-errors">
          <div>
            {shown.map((e, i) => (
              <p key={i}>
                {e.name && e.name !== "Error" && <strong>{e.name}:</strong>} {e.message}
              </p>
            ))}
          </div>
        </div>
      )}
    </>
  );
}
