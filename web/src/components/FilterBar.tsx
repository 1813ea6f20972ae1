// The bar of filters above a log (deliveries, audit log), described as data: selects whose first
// option sets no filter, text boxes, and dates with times. Clear filters always holds its place,
// so that showing it moves nothing.
import { Button, Field } from '../ui';

export interface FilterOption {
  value: string;
  label: string;
}

interface SelectField<K> {
  key: K;
  label: string;
  anyLabel: string; // the first option, value '': no filter
  options: FilterOption[];
}

interface InputField<K> {
  key: K;
  label: string;
  type?: 'text' | 'datetime-local'; // a date and time keeps its full width
  placeholder?: string;
  mono?: boolean;
  suggestions?: string[]; // offered while typing
}

export type FilterField<K extends string> = SelectField<K> | InputField<K>;

function FilterInput<K extends string>({
  field,
  value,
  onChange,
}: {
  field: FilterField<K>;
  value: string;
  onChange: (value: string) => void;
}) {
  if ('options' in field) {
    return (
      <Field label={field.label}>
        {({ id }) => (
          <select id={id} className="input select" value={value} onChange={(e) => onChange(e.target.value)}>
            <option value="">{field.anyLabel}</option>
            {field.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        )}
      </Field>
    );
  }
  const date = field.type === 'datetime-local';
  return (
    <Field label={field.label} className={date ? 'field-date' : undefined}>
      {({ id }) => (
        <>
          <input
            id={id}
            className={`input ${field.mono ? 'mono' : ''}`}
            type={field.type ?? 'text'}
            list={field.suggestions ? `${id}-suggestions` : undefined}
            placeholder={field.placeholder}
            value={value}
            onChange={(e) => onChange(e.target.value)}
          />
          {field.suggestions && (
            <datalist id={`${id}-suggestions`}>
              {field.suggestions.map((s) => (
                <option key={s} value={s} />
              ))}
            </datalist>
          )}
        </>
      )}
    </Field>
  );
}

export function FilterBar<K extends string>({
  label,
  fields,
  values,
  onChange,
  onClear,
}: {
  label: string;
  fields: FilterField<K>[];
  values: Record<K, string>;
  onChange: (key: K, value: string) => void;
  onClear: () => void;
}) {
  const filtered = Object.values<string>(values).some(Boolean);
  return (
    <div className="filters-bar card" role="search" aria-label={label}>
      {fields.map((f) => (
        <FilterInput key={f.key} field={f} value={values[f.key]} onChange={(v) => onChange(f.key, v)} />
      ))}
      <Button variant="ghost" size="sm" className="filters-clear" hidden={!filtered} onClick={onClear}>
        Clear filters
      </Button>
    </div>
  );
}
