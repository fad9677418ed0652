/**
 * connect-react's providers as this app sets them up: the browser client, the
 * theme from the app's palette, the app's field label and errors, and
 * react-query's retry policy (a failed lookup is shown at once, not after
 * three silent retries: the SDK already retried what was worth retrying).
 */
import { CustomizeProvider, FrontendClientProvider } from "@pipedream/connect-react";
import type { PipedreamClient } from "@pipedream/sdk/browser";
import { useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { connectReactTheme, type Theme } from "../../lib/theme.ts";
import { FieldErrors, FieldLabel } from "./field_parts.tsx";

const COMPONENTS = { Label: FieldLabel, Errors: FieldErrors };

export function Providers(
  { client, theme, children }: { client: PipedreamClient; theme: Theme; children: ReactNode },
) {
  return (
    <FrontendClientProvider client={client}>
      <QueryPolicy />
      <CustomizeProvider theme={connectReactTheme(theme)} components={COMPONENTS as never}>
        {children}
      </CustomizeProvider>
    </FrontendClientProvider>
  );
}

function QueryPolicy() {
  const queries = useQueryClient();
  useState(() => {
    const current = queries.getDefaultOptions();
    queries.setDefaultOptions({ ...current, queries: { ...current.queries, retry: false } });
    // A field's remote options are not kept once the field stops asking for them:
    // connect-react empties its option list when the props above change and only
    // refills it when an answer arrives, so going back to an earlier choice (a drive
    // chosen before) would show a cached answer that never arrives, and no options.
    queries.setQueryDefaults(["componentConfigure"], { gcTime: 0 });
  });
  return null;
}
