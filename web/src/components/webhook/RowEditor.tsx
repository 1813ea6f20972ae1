// Rows of a name and a value, added and removed by the user: the webhook's custom headers (a
// value with placeholders) and its custom payload (a key, and a contact or event property or a
// value). Errors are keyed "<prefix>.<row key>.name|value", as the form keeps them.
import { useRef } from 'react';
import type { PlaceholderGroup } from '../../catalog';
import { AddRowButton, FieldError, RemoveRowButton } from '../../ui';
import { insertPlaceholder, PlaceholderPicker } from '../PlaceholderPicker';
import { nextKey, type FormErrors, type Row } from './formState';

export function RowEditor({
  label,
  groupLabel,
  nameWord,
  namePlaceholder,
  valuePlaceholder,
  addLabel,
  errorPrefix,
  rows,
  errors,
  properties,
  placeholders,
  onChange,
  onClearError,
}: {
  label: string; // "Header": fields are "Header 1 name", "Header 1 value"
  groupLabel: string;
  nameWord: 'name' | 'key';
  namePlaceholder: string;
  valuePlaceholder: string;
  addLabel: string;
  errorPrefix: string;
  rows: Row[];
  errors: FormErrors;
  // With properties, each row chooses "Property" (one of these) or "Value"; without, its value
  // is text with a placeholder picker.
  properties?: PlaceholderGroup[];
  placeholders?: PlaceholderGroup[]; // the picker's, for text values
  onChange: (rows: Row[]) => void;
  onClearError: (...keys: string[]) => void;
}) {
  const valueRefs = useRef(new Map<number, HTMLInputElement>());
  const lower = label.toLowerCase();
  const set = (key: number, patch: Partial<Row>) =>
    onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const errorOf = (row: Row, part: 'name' | 'value') => errors[`${errorPrefix}.${row.key}.${part}`];

  return (
    <>
      <div className="rows" role="group" aria-label={groupLabel}>
        {rows.map((row, i) => {
          const nameKey = `${errorPrefix}.${row.key}.name`;
          const valueKey = `${errorPrefix}.${row.key}.value`;
          const n = `${label} ${i + 1}`;
          const valueProps = {
            value: row.value,
            'data-error-key': valueKey,
            'aria-invalid': !!errorOf(row, 'value'),
          };
          return (
            <div className="row" key={row.key}>
              <div className="row-cell">
                <input
                  className="input mono"
                  aria-label={`${n} ${nameWord}`}
                  placeholder={namePlaceholder}
                  value={row.name}
                  data-error-key={nameKey}
                  aria-invalid={!!errorOf(row, 'name')}
                  onChange={(e) => {
                    set(row.key, { name: e.target.value });
                    onClearError(nameKey, valueKey);
                  }}
                />
                {errorOf(row, 'name') && <FieldError message={errorOf(row, 'name')} />}
              </div>
              {properties && (
                <select
                  className="input select narrow"
                  aria-label={`${n} type`}
                  value={row.mode}
                  onChange={(e) => set(row.key, { mode: e.target.value as Row['mode'], value: '' })}
                >
                  <option value="property">Property</option>
                  <option value="value">Value</option>
                </select>
              )}
              <div className="row-cell grow">
                {properties && row.mode === 'property' ? (
                  <select
                    className="input select"
                    aria-label={`${n} property`}
                    {...valueProps}
                    onChange={(e) => {
                      set(row.key, { value: e.target.value });
                      onClearError(valueKey);
                    }}
                  >
                    <option value="">Choose a property…</option>
                    {properties.map((g) => (
                      <optgroup
                        key={`${g.label} ${g.note ?? ''}`}
                        label={g.note ? `${g.label}: ${g.note}` : g.label}
                      >
                        {g.items.map((item) => (
                          <option key={item.path} value={item.path}>
                            {item.label} ({item.path})
                          </option>
                        ))}
                      </optgroup>
                    ))}
                    {row.value && !properties.some((g) => g.items.some((x) => x.path === row.value)) && (
                      <option value={row.value}>{row.value}</option>
                    )}
                  </select>
                ) : (
                  <div className="input-with-action">
                    <input
                      className="input mono"
                      aria-label={`${n} value`}
                      placeholder={valuePlaceholder}
                      {...valueProps}
                      ref={(el) => {
                        if (el) valueRefs.current.set(row.key, el);
                        else valueRefs.current.delete(row.key);
                      }}
                      onChange={(e) => {
                        set(row.key, { value: e.target.value });
                        onClearError(valueKey);
                      }}
                    />
                    {!properties && (
                      <PlaceholderPicker
                        label="Placeholder"
                        groups={placeholders}
                        onPick={(path) =>
                          insertPlaceholder(valueRefs.current.get(row.key), row.value, path, (value) =>
                            set(row.key, { value }),
                          )
                        }
                      />
                    )}
                  </div>
                )}
                {errorOf(row, 'value') && <FieldError message={errorOf(row, 'value')} />}
              </div>
              <RemoveRowButton
                label={`Remove ${lower} ${i + 1}`}
                onClick={() => onChange(rows.filter((r) => r.key !== row.key))}
              />
            </div>
          );
        })}
      </div>
      <AddRowButton onClick={() => onChange([...rows, newRow(!!properties)])}>{addLabel}</AddRowButton>
    </>
  );
}

// An empty row; a payload row starts as a property, the usual choice.
export function newRow(withProperties: boolean): Row {
  return withProperties
    ? { key: nextKey(), name: '', mode: 'property', value: '' }
    : { key: nextKey(), name: '', value: '' };
}
