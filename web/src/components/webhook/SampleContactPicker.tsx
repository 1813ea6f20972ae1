// The Test's "Sample contact": the made-up test contact, or a stored one found by part of its
// email or name (GET /v1/contacts?q=). A combobox: typing searches once it pauses, Up and Down
// move through the matches, Enter picks one (never submits the form around it), Escape closes the
// list, × goes back to the test contact.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { Contact } from '../../api';
import { useContactMatches } from '../../catalogHooks';
import { CloseIcon, SearchIcon } from '../../icons';
import { fullName } from '../contact/ContactCells';

export function SampleContactPicker({
  id,
  describedBy,
  contact,
  onChange,
}: {
  id: string;
  describedBy?: string;
  contact: Contact | null;
  onChange: (contact: Contact | null) => void;
}) {
  const [text, setText] = useState(contact?.email ?? '');
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const listId = useId();
  const optionId = (i: number) => `${listId}-option-${i}`;

  // Asks once typing pauses.
  useEffect(() => {
    if (!open) return;
    const timer = window.setTimeout(() => setQuery(text), 250);
    return () => window.clearTimeout(timer);
  }, [text, open]);
  const found = useContactMatches(open ? query : '');
  const settled = open && !!text.trim() && query === text && !found.loading;
  const matches = settled ? (found.data ?? []) : [];
  const current = Math.min(active, matches.length - 1);
  const showList = open && matches.length > 0;

  const pick = (c: Contact) => {
    onChange(c);
    setText(c.email);
    setOpen(false);
  };

  const reset = () => {
    onChange(null);
    setText('');
    setOpen(false);
    input.current?.focus();
  };

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!showList) {
        setOpen(true);
        return;
      }
      const next = (current + (e.key === 'ArrowDown' ? 1 : -1) + matches.length) % matches.length;
      setActive(next);
      document.getElementById(optionId(next))?.scrollIntoView({ block: 'nearest' });
    } else if (e.key === 'Enter') {
      e.preventDefault(); // the box sits inside the webhook form
      if (showList && current >= 0) pick(matches[current]);
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      e.stopPropagation(); // inside the journey builder's dialog, close the list only
      setOpen(false);
    }
  };

  let status: string | null = null;
  if (open && text.trim() && !settled) status = 'Searching…';
  else if (settled && matches.length === 0) status = 'No contact matches.';

  return (
    <div className="sample-contact">
      <div className="search-box">
        <SearchIcon size={16} className="search-icon" />
        <input
          ref={input}
          id={id}
          className="input"
          placeholder="Search by email or name"
          autoComplete="off"
          spellCheck={false}
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={showList}
          aria-controls={showList ? listId : undefined}
          aria-activedescendant={showList && current >= 0 ? optionId(current) : undefined}
          aria-describedby={describedBy}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setOpen(true);
            setActive(0);
            if (contact) onChange(null);
          }}
          onKeyDown={onKey}
          onBlur={() => setOpen(false)}
        />
        {text && (
          <button
            type="button"
            className="icon-btn search-clear"
            aria-label="Use the test contact"
            onClick={reset}
          >
            <CloseIcon size={16} />
          </button>
        )}
      </div>
      {showList && (
        <ul className="combo-list" id={listId} role="listbox" aria-label="Matching contacts">
          {matches.map((c, i) => (
            <li
              key={c.id}
              id={optionId(i)}
              role="option"
              aria-selected={i === current}
              className={`combo-option ${i === current ? 'active' : ''}`}
              onMouseDown={(e) => e.preventDefault()} // keeps the focus in the box
              onMouseMove={() => i !== current && setActive(i)}
              onClick={() => pick(c)}
            >
              <span className="strong">{c.email}</span>
              {fullName(c) && <span className="muted small">{fullName(c)}</span>}
            </li>
          ))}
        </ul>
      )}
      {status && (
        <p className="combo-status muted small" role="status">
          {status}
        </p>
      )}
    </div>
  );
}
