// A contact's own fields (email, names, mobile): in the Add contact dialog and on the contact's
// page. Errors are keyed by the API's field names.
import { Field } from '../../ui';

export interface ContactFieldValues {
  email: string;
  first_name: string;
  last_name: string;
  mobile: string;
}

export type ContactFieldKey = keyof ContactFieldValues;

export const CONTACT_FIELD_KEYS: ContactFieldKey[] = ['email', 'first_name', 'last_name', 'mobile'];

export const EMPTY_CONTACT: ContactFieldValues = { email: '', first_name: '', last_name: '', mobile: '' };

export function ContactFields({
  values,
  errors,
  onChange,
}: {
  values: ContactFieldValues;
  errors: Record<string, string>;
  onChange: (key: ContactFieldKey, value: string) => void;
}) {
  const input = (key: ContactFieldKey, label: string, type: 'email' | 'text' | 'tel' = 'text') => (
    <Field label={label} error={errors[key]}>
      {({ id, invalid, describedBy }) => (
        <input
          id={id}
          type={type}
          className="input"
          value={values[key]}
          data-error-key={key}
          autoComplete="off"
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onChange={(e) => onChange(key, e.target.value)}
        />
      )}
    </Field>
  );
  return (
    <>
      {input('email', 'Email', 'email')}
      <div className="grid-2">
        {input('first_name', 'First name')}
        {input('last_name', 'Last name')}
      </div>
      {input('mobile', 'Mobile', 'tel')}
    </>
  );
}

// Where an API error about a contact belongs: one of the fields, the properties, or the form.
export function contactErrorKey(field: string | null): string {
  if (field && (CONTACT_FIELD_KEYS as string[]).includes(field)) return field;
  if (field?.startsWith('properties')) return 'properties';
  return '_form';
}
