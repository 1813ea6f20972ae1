// "Subscribed events": the system events by group, and custom event names the user adds.
import { useState } from 'react';
import { EVENT_GROUPS, EVENT_NAME_PATTERN, eventLabel, SYSTEM_EVENTS } from '../../catalog';
import { Button, FieldError } from '../../ui';

export function EventPicker({
  events,
  error,
  id,
  onChange,
}: {
  events: string[];
  error?: string;
  id: (suffix: string) => string;
  onChange: (events: string[]) => void;
}) {
  const [custom, setCustom] = useState('');
  const [customError, setCustomError] = useState<string | null>(null);
  const toggle = (name: string, on: boolean) =>
    onChange(on ? [...events, name] : events.filter((e) => e !== name));

  const addCustom = () => {
    const name = custom.trim();
    if (!name) return;
    if (!EVENT_NAME_PATTERN.test(name)) {
      setCustomError('Use lower-case letters, digits and _ in dot-separated parts, e.g. order.paid.');
      return;
    }
    if (!events.includes(name)) onChange([...events, name]);
    setCustom('');
    setCustomError(null);
  };

  return (
    <section className="form-section">
      <fieldset className="fieldset" aria-describedby={id('events-help')}>
        <legend className="field-label">Subscribed events</legend>
        <p className="field-help" id={id('events-help')}>
          The webhook is called for every event you pick. Leave all unticked for a webhook used only in
          journeys.
        </p>
        <div className="event-groups" data-error-key="events" tabIndex={-1}>
          {EVENT_GROUPS.map((g) => (
            <div key={g.label} className="event-group">
              <div className="event-group-label">{g.label}</div>
              {g.events.map((name) => (
                <label key={name} className="check">
                  <input
                    type="checkbox"
                    checked={events.includes(name)}
                    onChange={(e) => toggle(name, e.target.checked)}
                  />
                  <span>
                    {eventLabel(name)} <code className="muted">{name}</code>
                  </span>
                </label>
              ))}
            </div>
          ))}
          <div className="event-group">
            <div className="event-group-label">Custom</div>
            {events
              .filter((e) => !SYSTEM_EVENTS.includes(e))
              .map((name) => (
                <label key={name} className="check">
                  <input type="checkbox" checked onChange={() => toggle(name, false)} />
                  <code>{name}</code>
                </label>
              ))}
            <div className="inline-add">
              <input
                className="input input-sm mono"
                aria-label="Custom event name"
                placeholder="order.paid"
                value={custom}
                onChange={(e) => {
                  setCustom(e.target.value);
                  setCustomError(null);
                }}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    addCustom();
                  }
                }}
              />
              <Button size="sm" onClick={addCustom}>
                Add
              </Button>
            </div>
            {customError && <FieldError message={customError} />}
          </div>
        </div>
        {error && <FieldError message={error} />}
      </fieldset>
    </section>
  );
}
