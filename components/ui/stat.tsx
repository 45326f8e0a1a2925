/** A labelled figure with an optional note; the definition goes in `title` (shown on hover). */
export function Stat({ label, value, note, definition }: { label: string; value: string; note?: string; definition?: string }) {
  return (
    <div role="group" aria-label={label} className="rounded-lg border border-neutral-800 bg-neutral-900/60 p-4">
      <dt className="text-xs uppercase tracking-wide text-neutral-400" title={definition}>
        {label}
      </dt>
      <dd className="mt-1 font-mono text-xl text-neutral-50">{value}</dd>
      {note ? <dd className="mt-1 text-xs text-neutral-500">{note}</dd> : null}
    </div>
  );
}
