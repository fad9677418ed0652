/**
 * Gives every control inside connect-react's fields (and our own pickers) an
 * accessible name. Some of its controls have no id for a label to point at:
 * the inputs of a list prop, the key/value rows of an object prop, the
 * react-select inside SelectApp. Each gets the name of its field's label
 * (with its placeholder when it has one: "Row — Key").
 */
const CONTROLS = "input:not([type=hidden]):not([type=submit]), textarea, select";

function named(el: HTMLElement): boolean {
  if (el.getAttribute("aria-label") || el.getAttribute("aria-labelledby")) return true;
  return Boolean(el.id && el.ownerDocument.querySelector(`label[for="${CSS.escape(el.id)}"]`));
}

export function labelFieldInputs(root: HTMLElement): void {
  for (const field of root.querySelectorAll<HTMLElement>(".pd-field")) {
    const label = field.querySelector<HTMLElement>("label[id]");
    if (!label) continue;
    const text = label.dataset.text ?? label.textContent ?? "";
    for (const el of field.querySelectorAll<HTMLElement>(CONTROLS)) {
      if (named(el)) continue;
      const placeholder = el.getAttribute("placeholder");
      if (placeholder) el.setAttribute("aria-label", `${text} — ${placeholder}`);
      else el.setAttribute("aria-labelledby", label.id);
    }
  }
}

/** Names the inputs inside `root` (a react-select we cannot pass props to) by the element `labelId`. */
export function labelInputsBy(root: HTMLElement, labelId: string): () => void {
  const apply = () => {
    for (const el of root.querySelectorAll<HTMLElement>(CONTROLS)) {
      if (el.getAttribute("aria-labelledby") !== labelId) el.setAttribute("aria-labelledby", labelId);
    }
  };
  apply();
  const watch = new MutationObserver(apply);
  watch.observe(root, { childList: true, subtree: true });
  return () => watch.disconnect();
}
