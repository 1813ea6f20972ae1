// Fields the block settings share: rows of filters (field, operator, value) for a trigger and a
// contact-field condition, and the choice of a list.
import { useId } from 'react';
import { FILTER_OPS } from '../catalog';
import { Link } from '../router';
import { AddRowButton, Field, RemoveRowButton } from '../ui';
import type { Lookups } from './blocks';

export interface Filter {
  field: string;
  op: string;
  value?: unknown;
}

export const TRIGGER_FIELDS = [
  'event_details.campaign_name',
  'event_details.list_id',
  'event_details.form_name',
  'event_details.url',
  'contact.email',
];

export const CONTACT_FIELDS = [
  'contact.email',
  'contact.first_name',
  'contact.last_name',
  'contact.mobile',
  'contact.country',
  'contact.city',
];

function parseValue(op: string, text: string): unknown {
  if ((op === 'gt' || op === 'lt') && text.trim() !== '' && !Number.isNaN(Number(text))) return Number(text);
  return text;
}

export function FilterRows({
  filters,
  onChange,
  fields,
  label,
}: {
  filters: Filter[];
  onChange: (filters: Filter[]) => void;
  fields: string[];
  label: string;
}) {
  const listId = useId();
  return (
    <div className="filters" role="group" aria-label={label}>
      <datalist id={listId}>
        {fields.map((f) => (
          <option key={f} value={f} />
        ))}
      </datalist>
      {filters.map((f, i) => (
        <div className="filter-row" key={i}>
          <input
            className="input input-sm mono"
            aria-label={`Filter ${i + 1} field`}
            list={listId}
            placeholder="event_details.campaign_name"
            value={f.field}
            onChange={(e) => onChange(filters.map((x, j) => (j === i ? { ...x, field: e.target.value } : x)))}
          />
          <div className="filter-row-2">
            <select
              className="input input-sm select"
              aria-label={`Filter ${i + 1} operator`}
              value={f.op}
              onChange={(e) =>
                onChange(
                  filters.map((x, j) => {
                    if (j !== i) return x;
                    const op = e.target.value;
                    if (op === 'exists') return { field: x.field, op };
                    return { ...x, op, value: parseValue(op, String(x.value ?? '')) };
                  }),
                )
              }
            >
              {FILTER_OPS.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
            {f.op !== 'exists' && (
              <input
                className="input input-sm"
                aria-label={`Filter ${i + 1} value`}
                placeholder="Value"
                value={String(f.value ?? '')}
                onChange={(e) =>
                  onChange(
                    filters.map((x, j) => (j === i ? { ...x, value: parseValue(x.op, e.target.value) } : x)),
                  )
                }
              />
            )}
            <RemoveRowButton
              label={`Remove filter ${i + 1}`}
              onClick={() => onChange(filters.filter((_, j) => j !== i))}
            />
          </div>
        </div>
      ))}
      <AddRowButton onClick={() => onChange([...filters, { field: fields[0] ?? '', op: 'eq', value: '' }])}>
        Add filter
      </AddRowButton>
    </div>
  );
}

export function ListSelect({
  value,
  onChange,
  lookups,
  label,
}: {
  value: string;
  onChange: (id: string) => void;
  lookups: Lookups;
  label: string;
}) {
  return (
    <Field
      label={label}
      help={
        lookups.lists.length === 0 ? (
          <>
            No lists yet: <Link to="/lists">create one</Link>.
          </>
        ) : undefined
      }
    >
      {({ id, describedBy }) => (
        <select
          id={id}
          className="input select"
          value={value}
          aria-describedby={describedBy}
          onChange={(e) => onChange(e.target.value)}
        >
          <option value="">Choose a list…</option>
          {lookups.lists.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name} ({l.member_count} contact{l.member_count === 1 ? '' : 's'})
            </option>
          ))}
          {value && !lookups.lists.some((l) => l.id === value) && (
            <option value={value}>(deleted list)</option>
          )}
        </select>
      )}
    </Field>
  );
}
