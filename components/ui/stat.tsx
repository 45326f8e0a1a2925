/**
 * A labelled figure with an optional note: a named group ("Insurance fund: $2.68M"), so a screen
 * reader announces the label with the value and a test finds it by name. The definition goes in
 * the label's `title` (shown on hover). Stats sit in a plain grid, not a <dl>: a group with a role
 * is not a valid child of a description list.
 */
export function Stat({ label, value, note, definition }: { label: string; value: string; note?: string; definition?: string }) {
  return (
    <div role="group" aria-label={label} className="rounded-lg border border-neutral-800 bg-neutral-900/60 p-4">
      <p className="text-xs uppercase tracking-wide text-neutral-400" title={definition}>
        {label}
      </p>
      <p className="mt-1 font-mono text-xl text-neutral-50">{value}</p>
      {note ? <p className="mt-1 text-xs text-neutral-400">{note}</p> : null}
    </div>
  );
}
