/**
 * A wide table's frame: on a narrow screen the table scrolls sideways inside it instead of the
 * page. It is a named region a keyboard can focus (arrow keys then scroll it) and a screen reader
 * can find, as WCAG's "scrollable region must be focusable" asks.
 */
export function ScrollRegion({ label, children, className = "" }: { label: string; children: React.ReactNode; className?: string }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className={`overflow-x-auto rounded-lg border border-neutral-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-emerald-400 ${className}`}>
      {children}
    </div>
  );
}
