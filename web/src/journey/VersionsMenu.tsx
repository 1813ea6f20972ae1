// The builder's Versions menu: the journey's versions, newest first, each with when it was saved and
// how many contacts finish on it; choosing one shows it (an older one read only, the current one to
// edit). Read each time it opens: the counts move. A menu button: Down or Up opens it, Up, Down,
// Home and End move between the versions, Escape closes it and gives the focus back.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { journeyVersions, type JourneyVersionItem } from '../api';
import { formatTime, sentence } from '../format';
import { CheckIcon, ChevronDownIcon } from '../icons';
import { versionLabel } from './versions';

export function VersionsMenu({
  journeyId,
  shown,
  onChoose,
}: {
  journeyId: string;
  shown: number | null; // the version on the canvas; null: the current one
  onChoose: (item: JourneyVersionItem) => void;
}) {
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<JourneyVersionItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const menuId = useId();

  useEffect(() => {
    if (!open) return;
    let live = true;
    setError(null);
    journeyVersions(journeyId)
      .then((list) => live && setItems(list))
      .catch((e: unknown) => live && setError(sentence(e instanceof Error ? e.message : String(e))));
    const onDown = (e: MouseEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => {
      live = false;
      document.removeEventListener('mousedown', onDown);
    };
  }, [open, journeyId]);

  const isShown = (item: JourneyVersionItem) => (shown === null ? item.current : item.version === shown);

  // Open with the versions read: the focus goes to the one shown (unless already in the menu).
  useEffect(() => {
    if (!open || !items) return;
    const all = itemsIn(menuRef.current);
    const checked = all.find((el) => el.getAttribute('aria-checked') === 'true') ?? all[0];
    if (!all.includes(document.activeElement as HTMLElement)) checked?.focus();
  }, [open, items]);

  const close = () => {
    setOpen(false);
    buttonRef.current?.focus();
  };

  const onMenuKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const all = itemsIn(menuRef.current);
    const at = all.indexOf(document.activeElement as HTMLElement);
    const moves: Record<string, number> = {
      ArrowDown: at + 1,
      ArrowUp: at - 1,
      Home: 0,
      End: all.length - 1,
    };
    if (e.key in moves && all.length) {
      e.preventDefault();
      all[(moves[e.key] + all.length) % all.length].focus();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close();
    } else if (e.key === 'Tab') {
      setOpen(false);
    }
  };

  return (
    <div className="versions" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="btn btn-secondary btn-sm"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            setOpen(true);
          }
        }}
      >
        Versions <ChevronDownIcon size={14} />
      </button>
      {open && (
        <div className="picker-menu versions-menu" id={menuId}>
          {items ? (
            <div ref={menuRef} role="menu" aria-label="Versions" onKeyDown={onMenuKey}>
              {items.map((item) => (
                <button
                  key={item.version}
                  type="button"
                  role="menuitemradio"
                  aria-checked={isShown(item)}
                  tabIndex={-1}
                  className={`picker-item version-item ${isShown(item) ? 'active' : ''}`}
                  data-version={item.version}
                  onClick={() => {
                    close();
                    if (!isShown(item)) onChoose(item);
                  }}
                >
                  <span className="version-item-text">
                    <span className="strong">{versionLabel(item)}</span>
                    <span className="muted small">Saved {formatTime(item.created_at)}</span>
                  </span>
                  {isShown(item) && <CheckIcon size={16} />}
                </button>
              ))}
            </div>
          ) : (
            <p className="muted small versions-note" role="status">
              {error ?? 'Loading versions…'}
            </p>
          )}
        </div>
      )}
    </div>
  );
}

function itemsIn(menu: HTMLElement | null): HTMLElement[] {
  return Array.from(menu?.querySelectorAll<HTMLElement>('[role="menuitemradio"]') ?? []);
}
