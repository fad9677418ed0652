/** Small building blocks used across the app. */
import { type ReactNode, useEffect, useId, useRef, useState } from "react";

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

export function ConfirmDialog(
  { open, title, children, confirmLabel, danger = true, onConfirm, onCancel }: {
    open: boolean;
    title: string;
    children: ReactNode;
    confirmLabel: string;
    danger?: boolean;
    onConfirm: () => void;
    onCancel: () => void;
  },
) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      d.showModal();
      // showModal focuses the first button; the safe choice is Cancel.
      cancel.current?.focus();
    }
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
      aria-labelledby={titleId}
    >
      <h2 id={titleId}>{title}</h2>
      <div>{children}</div>
      <div className="actions">
        <button type="button" ref={cancel} onClick={onCancel}>Cancel</button>
        <button type="button" className={danger ? "danger" : "primary"} onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

type Question = { title: string; body: ReactNode; confirmLabel: string; danger?: boolean };

/** A confirmation asked from code: `await ask({...})` is true when the user confirmed. */
export function useConfirm(): [ReactNode, (q: Question) => Promise<boolean>] {
  const [q, setQ] = useState<Question & { resolve: (ok: boolean) => void }>();
  const answer = (ok: boolean) => {
    q?.resolve(ok);
    setQ(undefined);
  };
  const dialog = (
    <ConfirmDialog
      open={Boolean(q)}
      title={q?.title ?? ""}
      confirmLabel={q?.confirmLabel ?? "OK"}
      danger={q?.danger}
      onConfirm={() => answer(true)}
      onCancel={() => answer(false)}
    >
      {q?.body}
    </ConfirmDialog>
  );
  return [dialog, (question) => new Promise((resolve) => setQ({ ...question, resolve }))];
}

export function formatDate(iso?: string): string {
  if (!iso) return "";
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? ""
    : d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}
