// "Insert placeholder": a menu of contact and event properties; picking one inserts {{path}}.
import { useEffect, useId, useRef, useState } from 'react';
import { placeholderGroups } from '../catalog';
import { useContactProperties } from '../hooks';
import { BracesIcon } from '../icons';

export function PlaceholderPicker({
  onPick,
  label = 'Insert placeholder',
}: {
  onPick: (path: string) => void;
  label?: string;
}) {
  const [open, setOpen] = useState(false);
  const [filter, setFilter] = useState('');
  const props = useContactProperties();
  const rootRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuId = useId();

  useEffect(() => {
    if (!open) return;
    searchRef.current?.focus();
    const onDown = (e: MouseEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const close = () => {
    setOpen(false);
    setFilter('');
    buttonRef.current?.focus();
  };

  const groups = placeholderGroups(props)
    .map((g) => ({
      ...g,
      items: g.items.filter(
        (i) =>
          !filter ||
          i.path.toLowerCase().includes(filter.toLowerCase()) ||
          i.label.toLowerCase().includes(filter.toLowerCase()),
      ),
    }))
    .filter((g) => g.items.length > 0);

  return (
    <div className="picker" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="btn btn-ghost btn-sm"
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((o) => !o)}
      >
        <BracesIcon size={16} /> {label}
      </button>
      {open && (
        <div
          className="picker-menu"
          id={menuId}
          role="group"
          aria-label="Placeholders"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              e.preventDefault();
              close();
            }
          }}
        >
          <input
            ref={searchRef}
            className="input input-sm"
            placeholder="Search properties"
            aria-label="Search properties"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
          <div className="picker-groups">
            {groups.map((g) => (
              <div key={g.label} className="picker-group">
                <div className="picker-group-label">{g.label}</div>
                {g.items.map((i) => (
                  <button
                    key={i.path}
                    type="button"
                    className="picker-item"
                    onClick={() => {
                      onPick(i.path);
                      close();
                    }}
                  >
                    <span>{i.label}</span>
                    <code>{`{{${i.path}}}`}</code>
                  </button>
                ))}
              </div>
            ))}
            {groups.length === 0 && <p className="muted small">No property matches.</p>}
          </div>
        </div>
      )}
    </div>
  );
}
