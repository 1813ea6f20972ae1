// "Insert placeholder": a menu of contact and event properties; picking one inserts {{path}}.
// `groups`: what the form offers (with the keys its events have); else the built-in ones and
// contact properties.
// The search box keeps the focus: Up and Down move the highlight, Enter picks the highlighted
// item (never submits the form around it), Escape closes the menu.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { placeholderGroups, type PlaceholderGroup } from '../catalog';
import { useContactProperties } from '../catalogHooks';
import { BracesIcon } from '../icons';

export function PlaceholderPicker({
  onPick,
  label = 'Insert placeholder',
  groups: given,
}: {
  onPick: (path: string) => void;
  label?: string;
  groups?: PlaceholderGroup[];
}) {
  const [open, setOpen] = useState(false);
  const [filter, setFilter] = useState('');
  const [active, setActive] = useState(0);
  const props = useContactProperties();
  const rootRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuId = useId();
  const itemId = (i: number) => `${menuId}-item-${i}`;

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
    setActive(0);
    buttonRef.current?.focus();
  };

  const needle = filter.toLowerCase();
  // A search matches an item's path or label, or the event name of its group.
  const groups = (given ?? placeholderGroups(props))
    .map((g) => ({
      ...g,
      items: g.items.filter(
        (i) =>
          !needle ||
          i.path.toLowerCase().includes(needle) ||
          i.label.toLowerCase().includes(needle) ||
          !!g.note?.toLowerCase().includes(needle),
      ),
    }))
    .filter((g) => g.items.length > 0);
  const items = groups.flatMap((g) => g.items);
  const current = Math.min(active, items.length - 1);

  const pick = (path: string) => {
    onPick(path);
    close();
  };

  const move = (to: number) => {
    if (!items.length) return;
    const next = (to + items.length) % items.length;
    setActive(next);
    document.getElementById(itemId(next))?.scrollIntoView({ block: 'nearest' });
  };

  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      move(current + (e.key === 'ArrowDown' ? 1 : -1));
    } else if (e.key === 'Enter') {
      e.preventDefault(); // the search box sits inside the webhook form
      if (current >= 0) pick(items[current].path);
    }
  };

  let index = -1;
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
            role="combobox"
            aria-expanded="true"
            aria-autocomplete="list"
            aria-controls={`${menuId}-items`}
            aria-activedescendant={current >= 0 ? itemId(current) : undefined}
            value={filter}
            onChange={(e) => {
              setFilter(e.target.value);
              setActive(0);
            }}
            onKeyDown={onSearchKey}
          />
          <div className="picker-groups" id={`${menuId}-items`}>
            {groups.map((g) => (
              <div key={`${g.label} ${g.note ?? ''}`} className="picker-group">
                <div className="picker-group-label">
                  {g.label}
                  {g.note && <code className="picker-group-note">{g.note}</code>}
                </div>
                {g.items.map((i) => {
                  index += 1;
                  const mine = index;
                  return (
                    <button
                      key={i.path}
                      id={itemId(mine)}
                      type="button"
                      className={`picker-item ${mine === current ? 'active' : ''}`}
                      aria-current={mine === current || undefined}
                      onMouseMove={() => mine !== current && setActive(mine)}
                      onClick={() => pick(i.path)}
                    >
                      <span>{i.label}</span>
                      <code>{`{{${i.path}}}`}</code>
                    </button>
                  );
                })}
              </div>
            ))}
            {items.length === 0 && <p className="muted small">No property matches.</p>}
          </div>
        </div>
      )}
    </div>
  );
}

// Inserts {{path}} at the caret of `input` (or at the end), then puts the caret after it.
export function insertPlaceholder(
  input: HTMLInputElement | null | undefined,
  current: string,
  path: string,
  set: (value: string) => void,
) {
  const token = `{{${path}}}`;
  const start = input?.selectionStart ?? current.length;
  const end = input?.selectionEnd ?? current.length;
  set(current.slice(0, start) + token + current.slice(end));
  requestAnimationFrame(() => {
    if (!input) return;
    input.focus();
    const caret = start + token.length;
    input.setSelectionRange(caret, caret);
  });
}
