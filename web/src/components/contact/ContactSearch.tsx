// The search box above the contacts: part of an email or a name, handed on once typing pauses
// (the list then asks the server, GET /v1/contacts?q=), cleared at once with its × or Escape.
import { useId, useRef } from 'react';
import { useDebouncedText } from '../../hooks';
import { CloseIcon, SearchIcon } from '../../icons';
import { FieldError } from '../../ui';

export function ContactSearch({
  value,
  onSearch,
  error,
}: {
  value: string; // the search in the address
  onSearch: (text: string) => void;
  error: string | null; // the server refused the search itself
}) {
  const { text, setText, settleNow } = useDebouncedText(value, onSearch);
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  return (
    <div className="contact-search" role="search" aria-label="Contacts">
      <label htmlFor={id} className="sr-only">
        Search contacts
      </label>
      <div className="search-box">
        <SearchIcon size={16} className="search-icon" />
        <input
          ref={input}
          id={id}
          type="search"
          className="input"
          placeholder="Search by part of an email or name"
          autoComplete="off"
          spellCheck={false}
          value={text}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') settleNow(text);
            if (e.key === 'Escape' && text) {
              e.preventDefault();
              settleNow('');
            }
          }}
        />
        {text && (
          <button
            type="button"
            className="icon-btn search-clear"
            aria-label="Clear search"
            onClick={() => {
              settleNow('');
              input.current?.focus();
            }}
          >
            <CloseIcon size={16} />
          </button>
        )}
      </div>
      {error && <FieldError id={`${id}-error`} message={error} />}
    </div>
  );
}
