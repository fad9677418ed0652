/**
 * What the workbench knows about its form beyond connect-react's own state,
 * read by the field parts (labels, errors) and the submit help.
 */
import { createContext, useContext } from "react";

export type FormExtras = {
  /** Props whose remote options failed to load, with the message. */
  optionErrors: Record<string, string>;
  retryOptions(propName: string): void;
  /** Makes connect-react check every field again (its checks can run before a field mounts). */
  revalidate(): void;
  /** Integer fields holding text the browser could not read as a number ("1e", "--"). */
  badInput: ReadonlySet<string>;
  /** Props the user has given a value at some point: an emptied one says it is required. */
  touched: ReadonlySet<string>;
  /** The user pressed Submit while something was wrong. */
  attempted: boolean;
};

export const FormExtrasContext = createContext<FormExtras>({
  optionErrors: {},
  retryOptions: () => {},
  revalidate: () => {},
  badInput: new Set(),
  touched: new Set(),
  attempted: false,
});

export const useFormExtras = () => useContext(FormExtrasContext);
