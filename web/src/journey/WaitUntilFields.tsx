// A Wait until's settings: what it waits for (an event, or a time of day), then for an event the
// trigger's event picker and filters and when to give up; for a time, TimeOfDayFields. Switching
// back and forth keeps what was set in the other mode while the panel is open (the API takes only
// the settings of the mode chosen).
import { useId, useRef } from 'react';
import { MAX_WAIT_DAYS } from '../messages';
import { DurationField } from './DurationField';
import { EventFields } from './EventFields';
import { TimeOfDayFields } from './TimeOfDayFields';
import { untilConfig, untilMode, type UntilMode } from './waitUntil';

const MODES: { mode: UntilMode; label: string }[] = [
  { mode: 'event', label: 'An event happens' },
  { mode: 'time', label: 'A time of day' },
];

export function WaitUntilFields({
  config,
  onConfig,
}: {
  config: Record<string, unknown>;
  onConfig: (config: Record<string, unknown>) => void;
}) {
  const mode = untilMode(config);
  const labelId = useId();
  const kept = useRef<Partial<Record<UntilMode, Record<string, unknown>>>>({});
  const switchTo = (next: UntilMode) => {
    if (next === mode) return;
    kept.current[mode] = config;
    onConfig(kept.current[next] ?? untilConfig(next));
  };
  const set = (patch: Record<string, unknown>) => onConfig({ ...config, ...patch });

  return (
    <>
      <div className="field" role="radiogroup" aria-labelledby={labelId}>
        <span className="field-label" id={labelId}>
          Wait until
        </span>
        <div className="segmented until-modes">
          {MODES.map((m) => (
            <label key={m.mode} className={`segment ${mode === m.mode ? 'active' : ''}`}>
              <input type="radio" checked={mode === m.mode} onChange={() => switchTo(m.mode)} />
              {m.label}
            </label>
          ))}
        </div>
      </div>
      {mode === 'event' ? (
        <>
          <p className="muted small">
            The contact waits here until this event happens to it, then leaves by <em>Happened</em>;
            if it has not happened when the time below runs out, by <em>Timed out</em>.
          </p>
          <EventFields
            config={config}
            label="Wait for this event"
            filtersLabel="Event filters"
            onChange={set}
          />
          <DurationField
            label="Give up after"
            help={`At most ${MAX_WAIT_DAYS} days.`}
            value={config.timeout}
            onChange={(timeout) => set({ timeout })}
          />
        </>
      ) : (
        <TimeOfDayFields config={config} onChange={set} />
      )}
    </>
  );
}
