/**
 * The browser client as connect-react sees it inside one workbench. Every
 * call still goes to the SDK; four things are added around it:
 *
 * - a remote-options call that fails (network, 5xx) is answered the way
 *   Pipedream answers a prop's own error (`errors: [...]`), so the field says
 *   what went wrong instead of "Loading…" and then "No options"; the workbench
 *   is told, and offers a retry;
 * - remote options asked for without a `dynamicPropsId` get the form's own:
 *   connect-react only knows the id of props it reloaded itself, not of a form
 *   restored from a link;
 * - accounts are labelled apart (name, end of id, when connected): two
 *   accounts of one app otherwise carry the same name;
 * - connecting an account for an app the user already has asks first.
 */
import type { PipedreamClient } from "@pipedream/sdk/browser";
import { messageOf } from "../../lib/api.ts";
import { accountLabel } from "../../lib/form_values.ts";

export type FormClientHooks = {
  dynamicPropsId(): string | undefined;
  /** A prop's options failed to load (message) or loaded (undefined). */
  optionsLoaded(propName: string, error: string | undefined): void;
  /** Resolves false when the user would rather not connect another account of `app`. */
  confirmConnect(app: string): Promise<boolean>;
  /** An account was connected from inside the form. */
  connected(): void;
};

type Components = PipedreamClient["components"];
type ConfigureRequest = Parameters<Components["configureProp"]>[0];
type ConfigureResponse = Awaited<ReturnType<Components["configureProp"]>>;
type Accounts = PipedreamClient["accounts"];

export function formClient(client: PipedreamClient, hooks: FormClientHooks): PipedreamClient {
  const components = client.components;
  const configureProp = async (req: ConfigureRequest): Promise<ConfigureResponse> => {
    const dynamicPropsId = req.dynamicPropsId ?? hooks.dynamicPropsId();
    try {
      const res = await components.configureProp({ ...req, ...(dynamicPropsId ? { dynamicPropsId } : {}) });
      const err = res.errors?.[0];
      hooks.optionsLoaded(req.propName, err ? errorText(err) : undefined);
      return res;
    } catch (err) {
      hooks.optionsLoaded(req.propName, `Could not load the options (${messageOf(err)}).`);
      return {
        options: [],
        stringOptions: [],
        // What the field's own placeholder says; the details and a retry show under it.
        errors: [JSON.stringify({ name: "Error", message: "Could not load the options" })],
        observations: [],
        context: req.prevContext,
      } as unknown as ConfigureResponse;
    }
  };
  const wrappedComponents = new Proxy(components, {
    get: (target, key) => key === "configureProp" ? configureProp : bound(target, key),
  });

  const accounts = client.accounts;
  const list = async (...args: Parameters<Accounts["list"]>) => {
    const page = await accounts.list(...args);
    // connect-react reads only `.data` of the first page.
    return { data: page.data.map((a) => ({ ...a, name: accountLabel({ ...a, createdAt: a.createdAt }) })) };
  };
  const wrappedAccounts = new Proxy(accounts, {
    get: (target, key) => key === "list" ? list : bound(target, key),
  });

  const connectAccount: PipedreamClient["connectAccount"] = async (opts) => {
    if (typeof opts.app === "string" && !await hooks.confirmConnect(opts.app)) return;
    return client.connectAccount({
      ...opts,
      onSuccess: (res) => {
        hooks.connected();
        return opts.onSuccess?.(res);
      },
    });
  };

  return new Proxy(client, {
    get(target, key) {
      if (key === "components") return wrappedComponents;
      if (key === "accounts") return wrappedAccounts;
      if (key === "connectAccount") return connectAccount;
      return bound(target, key);
    },
  });
}

function bound(target: object, key: string | symbol) {
  const v = Reflect.get(target, key, target);
  return typeof v === "function" ? v.bind(target) : v;
}

/** Pipedream sends a prop's errors as JSON strings `{name, message}`, or plain text. */
function errorText(raw: string): string {
  try {
    const e = JSON.parse(raw);
    if (e && typeof e.message === "string") return e.message;
  } catch { /* plain text */ }
  return raw;
}
