/**
 * A label for connect-react's SelectApp and SelectComponent, which take no id
 * or aria props: the label names the react-select input inside, and can move
 * focus into it when the picker is first shown.
 */
import { type ReactNode, useEffect, useRef } from "react";
import { labelInputsBy } from "./form/label_inputs.ts";

export function PickerLabel(
  { id, text, children, testId = "select-app", autoFocus }: {
    id: string;
    text: string;
    children: ReactNode;
    testId?: string;
    autoFocus?: boolean;
  },
) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current ? labelInputsBy(box.current, id) : undefined, [id]);
  useEffect(() => {
    if (autoFocus) box.current?.querySelector<HTMLInputElement>("input")?.focus();
  }, []);
  return (
    <div className="picker">
      <span className="field-label" id={id}>{text}</span>
      <div ref={box} data-testid={testId} onClick={() => box.current?.querySelector("input")?.focus()}>
        {children}
      </div>
    </div>
  );
}
