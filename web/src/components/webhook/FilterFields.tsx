// "Filters": which of the subscribed events make a call, tested on the event's details, the event
// and its contact in the language journey triggers use. The fields suggested come from the event
// catalog: the keys seen in the details of the subscribed events, and the contact properties.
import { useMemo } from 'react';
import type { EventType } from '../../api';
import { filterFields } from '../../catalog';
import { FieldError } from '../../ui';
import { FilterRows } from '../FilterRows';
import { nextKey, type FormErrors, type KeyedFilter } from './formState';

// The server's limit.
const MAX_FILTERS = 20;

export function FilterFields({
  filters,
  events,
  eventTypes,
  contactProperties,
  errors,
  id,
  onChange,
  onClearError,
}: {
  filters: KeyedFilter[];
  events: string[];
  eventTypes: EventType[];
  contactProperties: string[];
  errors: FormErrors;
  id: (suffix: string) => string;
  onChange: (filters: KeyedFilter[]) => void;
  onClearError: (...keys: string[]) => void;
}) {
  const fields = useMemo(
    () => filterFields(eventTypes, events, contactProperties),
    [eventTypes, events, contactProperties],
  );
  const example = fields.find((f) => f.startsWith('event_details.')) ?? 'event_details.plan';
  return (
    <section className="form-section">
      <fieldset className="fieldset" aria-describedby={id('filters-help')}>
        <legend className="field-label">Filters</legend>
        <p className="field-help" id={id('filters-help')}>
          Only events that match every filter are sent. Leave empty to send every subscribed event. A
          journey&rsquo;s Webhook block is not filtered: the journey decides there.
        </p>
        <div className="filters-wide" data-error-key="filters" tabIndex={-1}>
          {errors.filters && <FieldError message={errors.filters} />}
          <FilterRows
            label="Event filters"
            filters={filters}
            fields={fields}
            fieldPlaceholder={`e.g. ${example}`}
            newFilter={() => ({ key: nextKey(), field: '', op: 'eq', value: '' })}
            errors={errors}
            onClearError={onClearError}
            max={MAX_FILTERS}
            onChange={(next) => {
              onChange(next);
              onClearError('filters');
            }}
          />
        </div>
      </fieldset>
    </section>
  );
}
