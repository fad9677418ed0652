/**
 * "Forget me", confirmed: deletes the user's accounts, triggers, runs and
 * events, here and at Pipedream; the page then starts over with a fresh
 * identity.
 */
import { useState } from "react";
import { api, messageOf } from "../lib/api.ts";

export function ForgetMe({ onCancel }: { onCancel: () => void }) {
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<string>();
  const forget = async () => {
    setWorking(true);
    try {
      await api.forgetMe();
      location.assign("/");
    } catch (err) {
      setError(messageOf(err));
      setWorking(false);
    }
  };
  return (
    <div className="error-note forget" role="alertdialog" aria-labelledby="forget-title">
      <span id="forget-title">
        Delete your connected accounts, triggers, run history and events, here and at Pipedream, and start
        over as someone new? This cannot be undone.
        {error && <strong>{error}</strong>}
      </span>
      <span className="actions">
        <button type="button" className="danger small" disabled={working} onClick={forget}>
          {working ? "Forgetting…" : "Forget me"}
        </button>
        <button type="button" className="small" disabled={working} onClick={onCancel} autoFocus>
          Cancel
        </button>
      </span>
    </div>
  );
}
