// A wait until a time of day: the time (24 h) and the time zone it is read in, UTC unless chosen.
// The zones offered are the browser's (Intl), by area; a zone the block already names is kept
// even where the browser does not know it.
import { Field } from '../ui';
import { DEFAULT_TIME_ZONE, timeZoneOf } from './waitUntil';

let zonesByArea: [string, string[]][] | null = null;

// [["Africa", ["Africa/Abidjan", ...]], ["America", [...]], ...]; computed once.
function knownZones(): [string, string[]][] {
  if (zonesByArea) return zonesByArea;
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const areas = new Map<string, string[]>();
  for (const zone of all) {
    const slash = zone.indexOf('/');
    if (slash < 0) continue; // UTC and the like: offered apart
    const area = zone.slice(0, slash);
    areas.set(area, [...(areas.get(area) ?? []), zone]);
  }
  zonesByArea = [...areas.entries()];
  return zonesByArea;
}

// The zones offered before the areas: UTC and the browser's own.
function suggestedZones(): string[] {
  const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return own && own !== DEFAULT_TIME_ZONE ? [DEFAULT_TIME_ZONE, own] : [DEFAULT_TIME_ZONE];
}

export function TimeOfDayFields({
  config,
  onChange,
}: {
  config: Record<string, unknown>;
  onChange: (patch: { at?: string; time_zone?: string }) => void;
}) {
  const zone = timeZoneOf(config);
  const areas = knownZones();
  const suggested = suggestedZones();
  const known = suggested.includes(zone) || areas.some(([, zones]) => zones.includes(zone));
  return (
    <>
      <Field
        label="Time of day"
        help="The contact waits until the next time the clock shows this time in the zone below."
      >
        {({ id, describedBy }) => (
          <input
            id={id}
            className="input"
            type="time"
            value={String(config.at ?? '')}
            aria-describedby={describedBy}
            onChange={(e) => onChange({ at: e.target.value })}
          />
        )}
      </Field>
      <Field
        label="Time zone"
        help={
          <>
            When a contact has a <code>time_zone</code> property that names a known time zone, the
            contact's own zone is used instead.
          </>
        }
      >
        {({ id, describedBy }) => (
          <select
            id={id}
            className="input select"
            value={zone}
            aria-describedby={describedBy}
            onChange={(e) => onChange({ time_zone: e.target.value })}
          >
            {!known && <option value={zone}>{zone}</option>}
            {suggested.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
            {areas.map(([area, zones]) => (
              <optgroup key={area} label={area}>
                {zones.map((z) => (
                  <option key={z} value={z}>
                    {z}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        )}
      </Field>
    </>
  );
}
