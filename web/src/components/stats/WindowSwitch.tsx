// Which window the statistics cover: the last hour, 24 hours or 7 days (a radio group).
import { useId } from 'react';
import { STATS_WINDOWS, windowLabel, type StatsWindow } from '../../stats';

const SHORT: Record<StatsWindow, string> = { '1h': '1 hour', '24h': '24 hours', '7d': '7 days' };

export function WindowSwitch({
  value,
  onChange,
}: {
  value: StatsWindow;
  onChange: (w: StatsWindow) => void;
}) {
  const name = useId();
  return (
    <div className="segmented window-switch" role="radiogroup" aria-label="Time window">
      {STATS_WINDOWS.map((w) => (
        <label key={w} className={`segment ${value === w ? 'active' : ''}`} title={windowLabel(w)}>
          <input type="radio" name={name} value={w} checked={value === w} onChange={() => onChange(w)} />
          {SHORT[w]}
        </label>
      ))}
    </div>
  );
}
