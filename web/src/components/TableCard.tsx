// A table in a card, named for screen readers, with its column headings and, while the list has
// more pages, Load more under it.
import type { ReactNode } from 'react';
import { Link } from '../router';
import { Button } from '../ui';

// A heading; one that only screen readers hear (an actions column); or a control in its place
// (`content`, such as a select-all box).
export type Column = string | { label: string; hidden?: boolean; className?: string; content?: ReactNode };

export function TableCard({
  label,
  columns,
  children,
  className,
  more,
}: {
  label: string;
  columns: Column[];
  children: ReactNode;
  className?: string;
  more?: { show: boolean; busy?: boolean; onClick: () => void };
}) {
  return (
    <div className="card table-card">
      <table className={`table ${className ?? ''}`} aria-label={label}>
        <thead>
          <tr>
            {columns.map((c, i) => {
              const col = typeof c === 'string' ? { label: c } : c;
              return (
                <th key={i} scope="col" className={col.className}>
                  {col.content ?? (col.hidden ? <span className="sr-only">{col.label}</span> : col.label)}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
      {more?.show && (
        <div className="table-footer">
          <Button size="sm" busy={more.busy} onClick={more.onClick}>
            Load more
          </Button>
        </div>
      )}
    </div>
  );
}

// The name of a row's resource, linked to its page.
export function NameLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <Link to={to} className="strong-link">
      {children}
    </Link>
  );
}
