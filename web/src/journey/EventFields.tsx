// The event a trigger starts the journey on, or a goal converts on, and its "Only if" filters:
// a system event from the list or a custom one by name.
import type { Filter } from '../api';
import { CONTACT_EVENT_GROUPS, EVENT_NAME_PATTERN, eventLabel, SYSTEM_EVENTS } from '../catalog';
import { FilterRows } from '../components/FilterRows';
import { Field } from '../ui';
import { TRIGGER_FIELDS } from './ConfigFields';

const CUSTOM = '__custom';

export function EventFields({
  config,
  label,
  filtersLabel,
  onChange,
}: {
  config: Record<string, unknown>;
  label: string; // the event's field
  filtersLabel: string; // the filter rows', for screen readers
  onChange: (patch: { event?: string; filters?: Filter[] }) => void;
}) {
  const event = String(config.event ?? '');
  const customEvent = event && !SYSTEM_EVENTS.includes(event);
  return (
    <>
      <Field label={label}>
        {({ id }) => (
          <select
            id={id}
            className="input select"
            value={customEvent ? CUSTOM : event}
            onChange={(e) => onChange({ event: e.target.value === CUSTOM ? 'custom_event' : e.target.value })}
          >
            {!event && (
              <option value="" disabled>
                Choose an event…
              </option>
            )}
            {CONTACT_EVENT_GROUPS.map((g) => (
              <optgroup key={g.label} label={g.label}>
                {g.events.map((ev) => (
                  <option key={ev} value={ev}>
                    {eventLabel(ev)} ({ev})
                  </option>
                ))}
              </optgroup>
            ))}
            <option value={CUSTOM}>Custom event…</option>
          </select>
        )}
      </Field>
      {customEvent && (
        <Field
          label="Custom event name"
          error={
            EVENT_NAME_PATTERN.test(event) ? null : 'Lower-case letters, digits and _ in dot-separated parts.'
          }
        >
          {({ id, invalid }) => (
            <input
              id={id}
              className="input mono"
              value={event}
              aria-invalid={invalid}
              onChange={(e) => onChange({ event: e.target.value.trim() })}
            />
          )}
        </Field>
      )}
      <div className="field">
        <span className="field-label">Only if</span>
        <FilterRows
          label={filtersLabel}
          filters={(config.filters as Filter[]) ?? []}
          fields={TRIGGER_FIELDS}
          onChange={(filters) => onChange({ filters })}
        />
      </div>
    </>
  );
}
