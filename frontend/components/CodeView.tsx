/**
 * The code for what is on screen (server, browser, React), closed until asked
 * for; opening it loads the syntax highlighter. The choice is remembered.
 */
import { type KeyboardEvent, useEffect, useId, useState } from "react";
import type { Token } from "../lib/highlight.ts";
import { CopyButton } from "./common.tsx";

export type Snippet = { title: string; code: string };

const KEY = "pdc-code-open";
const storedOpen = () => {
  try {
    return localStorage.getItem(KEY) === "1";
  } catch {
    return false;
  }
};

export function CodeView({ snippets, note, label }: { snippets: Snippet[]; note?: string; label: string }) {
  const [open, setOpen] = useState(storedOpen);
  const id = useId();
  const toggle = () => {
    setOpen(!open);
    try {
      localStorage.setItem(KEY, open ? "0" : "1");
    } catch { /* storage disabled */ }
  };
  return (
    <aside className={`code-view ${open ? "open" : "closed"}`} aria-label={label}>
      <div className="code-head">
        <span className="code-title">{label}</span>
        <button type="button" className="small" aria-expanded={open} aria-controls={id} onClick={toggle}>
          {open ? "Hide code" : "Show code"}
        </button>
      </div>
      {open && <CodePanel id={id} snippets={snippets} note={note} />}
    </aside>
  );
}

function CodePanel({ id, snippets, note }: { id: string; snippets: Snippet[]; note?: string }) {
  const [i, setI] = useState(0);
  const [tokenize, setTokenize] = useState<(code: string) => Token[]>();
  useEffect(() => {
    let current = true;
    import("../lib/highlight.ts").then((m) => current && setTokenize(() => m.tokenize));
    return () => {
      current = false;
    };
  }, []);
  const n = Math.min(i, snippets.length - 1);
  const current = snippets[n];
  const tabId = (k: number) => `${id}-tab-${k}`;
  const onKeyDown = (e: KeyboardEvent) => {
    const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    const next = (n + step + snippets.length) % snippets.length;
    setI(next);
    document.getElementById(tabId(next))?.focus();
  };
  return (
    <div id={id} className="code-panel">
      <div className="code-toolbar">
        <div className="code-tabs" role="tablist" aria-label="Code files" onKeyDown={onKeyDown}>
          {snippets.map((s, k) => (
            <button
              key={s.title}
              id={tabId(k)}
              type="button"
              role="tab"
              aria-selected={k === n}
              aria-controls={`${id}-code`}
              tabIndex={k === n ? 0 : -1}
              className={k === n ? "active" : ""}
              onClick={() => setI(k)}
            >
              {s.title}
            </button>
          ))}
        </div>
        <CopyButton text={current.code} label={`Copy ${current.title}`} />
      </div>
      {note && <p className="code-note">{note}</p>}
      <pre id={`${id}-code`} role="tabpanel" aria-labelledby={tabId(n)} tabIndex={0} data-testid="code">
        <code>
          {tokenize
            ? tokenize(current.code).map((t, k) => t.kind ? <span key={k} className={`tok-${t.kind}`}>{t.text}</span> : t.text)
            : current.code}
        </code>
      </pre>
    </div>
  );
}
