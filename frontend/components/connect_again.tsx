/** Asking before connecting another account of an app the user already has one of. */
import { type ReactNode, useRef } from "react";
import type { AccountView } from "../../shared/api.ts";
import { accountLabel } from "../lib/form_values.ts";
import { useConfirm } from "./common.tsx";

/** A dialog, and `confirm(app)`: true when there is no account of `app` yet, or the user wants another. */
export function useConnectAgain(
  accounts: AccountView[] | undefined,
): [ReactNode, (app: string) => Promise<boolean>] {
  const [dialog, ask] = useConfirm();
  const latest = useRef(accounts);
  latest.current = accounts;
  return [dialog, async (app: string) => {
    const mine = (latest.current ?? []).filter((a) => a.app?.nameSlug === app);
    if (mine.length === 0) return true;
    const name = mine[0].app?.name ?? app;
    return await ask({
      title: `Connect another ${name} account?`,
      body: (
        <>
          <p>You already have {mine.length === 1 ? "this account" : `these ${mine.length} accounts`}:</p>
          <ul>{mine.map((a) => <li key={a.id}>{accountLabel(a)}</li>)}</ul>
          <p>Connect another one only if it signs in as someone else.</p>
        </>
      ),
      confirmLabel: "Connect another account",
      danger: false,
    });
  }];
}
