// Fields the block settings share: the fields a trigger's and a contact-field condition's filters
// suggest (the rows are components/FilterRows), and the choice of a list.
import { Link } from '../router';
import { Field } from '../ui';
import type { Lookups } from './blocks';

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
