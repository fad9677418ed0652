/** Small building blocks used across the app. */
import { type ReactNode, useEffect, useRef, useState } from "react";

export function Spinner({ label }: { label: string }) {
  return (
    <p className="pending" role="status">
      <span className="spinner" aria-hidden="true" /> {label}
    </p>
  );
}

export function ErrorNote({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div className="error-note" role="alert">
      <span>{message}</span>
      {onRetry && <button type="button" className="link" onClick={onRetry}>Try again</button>}
    </div>
  );
}

export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      className="small"
      onClick={async () => {
        await navigator.clipboard?.writeText(text).catch(() => {});
        setDone(true);
        setTimeout(() => setDone(false), 1500);
      }}
    >
      {done ? "Copied" : label}
    </button>
  );
}

export function Json({ value, label }: { value: unknown; label: string }) {
  const text = JSON.stringify(value, null, 2) ?? "undefined";
  return (
    <figure className="json">
      <figcaption>
        <span>{label}</span>
        <CopyButton text={text} />
      </figcaption>
      <pre tabIndex={0}>{text}</pre>
    </figure>
  );
}

/** The SDK code for what is selected: server and client side by side. */
export function CodeView(
  { snippets, note }: { snippets: Array<{ title: string; code: string }>; note?: string },
) {
  const [i, setI] = useState(0);
  const current = snippets[Math.min(i, snippets.length - 1)];
  return (
    <aside className="code-view" aria-label="How to do this in your app">
      <div className="code-tabs" role="tablist">
        {snippets.map((s, n) => (
          <button
            key={s.title}
            type="button"
            role="tab"
            aria-selected={n === i}
            className={n === i ? "active" : ""}
            onClick={() => setI(n)}
          >
            {s.title}
          </button>
        ))}
        <CopyButton text={current.code} />
      </div>
      {note && <p className="code-note">{note}</p>}
      <pre tabIndex={0}><code>{current.code}</code></pre>
    </aside>
  );
}

export function ConfirmDialog(
  { open, title, children, confirmLabel, onConfirm, onCancel }: {
    open: boolean;
    title: string;
    children: ReactNode;
    confirmLabel: string;
    onConfirm: () => void;
    onCancel: () => void;
  },
) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} onCancel={onCancel} aria-labelledby="confirm-title">
      <h2 id="confirm-title">{title}</h2>
      <div>{children}</div>
      <div className="actions">
        <button type="button" className="danger" onClick={onConfirm}>{confirmLabel}</button>
        <button type="button" onClick={onCancel} autoFocus>Cancel</button>
      </div>
    </dialog>
  );
}

export function formatDate(iso?: string): string {
  if (!iso) return "";
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? ""
    : d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}
