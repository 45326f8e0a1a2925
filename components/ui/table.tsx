/**
 * A data table's frame: the screen-reader caption (or the heading that names it), the column
 * headings with their alignment and hover definitions, and the body rows the caller renders.
 * One component, so every table names itself and its columns the same way and a new one is a
 * list of columns rather than another copy of the markup. Server-renderable (no state).
 *
 * Heads: "banded" (a shaded header row, for wide tables in a ScrollRegion), "plain" (small
 * capitals over the rows), "quiet" (plain words, for the small text tables of a detail panel),
 * "compact" (a shaded row of plain words, for a dense grid of figures).
 */

export interface TableColumn {
  label: React.ReactNode;
  /** Numbers align right. */
  align?: "left" | "right";
  /** The column's definition, shown on hover. */
  title?: string;
  /** Anything more for the heading cell (a width). */
  className?: string;
}

const HEADS = {
  banded: { row: "bg-neutral-900 text-left text-xs uppercase tracking-wide text-neutral-400", cell: "px-3 py-2" },
  plain: { row: "text-left text-xs uppercase text-neutral-400", cell: "py-1" },
  quiet: { row: "text-left text-neutral-400", cell: "py-1" },
  compact: { row: "bg-neutral-900 text-left text-neutral-400", cell: "px-2 py-1" },
} as const;

export function Table({
  caption,
  labelledBy,
  columns,
  head = "plain",
  className = "w-full text-sm",
  bodyClassName,
  children,
}: {
  /** The table's name, read by screen readers only; or name it by a heading's id with labelledBy. */
  caption?: string;
  labelledBy?: string;
  columns: readonly TableColumn[];
  head?: keyof typeof HEADS;
  className?: string;
  bodyClassName?: string;
  children: React.ReactNode;
}) {
  const style = HEADS[head];
  return (
    <table className={className} aria-labelledby={labelledBy}>
      {caption ? <caption className="sr-only">{caption}</caption> : null}
      <thead className={style.row}>
        <tr>
          {columns.map((c, i) => (
            <th key={i} scope="col" title={c.title} className={[style.cell, c.align === "right" ? "text-right" : "", c.className ?? ""].filter(Boolean).join(" ")}>
              {c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className={bodyClassName}>{children}</tbody>
    </table>
  );
}
