// The big numbers of a stats report: tries, success rate, latency (p50, p95) and dead deliveries,
// as a description list so that each number is read with its name.
import type { ReactNode } from 'react';
import { formatCount, noTriesReason, type StatsCounts, type StatsWindow } from '../../stats';
import { LatencyText, RateText } from './values';

function Tile({
  label,
  value,
  detail,
  tone,
}: {
  label: string;
  value: ReactNode;
  detail?: ReactNode;
  tone?: string;
}) {
  return (
    <div className={`stat-tile ${tone ? `stat-tile-${tone}` : ''}`}>
      <dt>{label}</dt>
      <dd className="stat-value">{value}</dd>
      {detail && <dd className="stat-detail">{detail}</dd>}
    </div>
  );
}

export function StatTiles({
  totals,
  window,
  label,
  compact,
}: {
  totals: StatsCounts;
  window: StatsWindow;
  label: string;
  compact?: boolean;
}) {
  const why = noTriesReason(window);
  const rateTone =
    totals.success_rate === null
      ? undefined
      : totals.success_rate >= 0.99
        ? 'good'
        : totals.success_rate < 0.9
          ? 'bad'
          : 'warn';
  return (
    <dl className={`stat-tiles ${compact ? 'stat-tiles-compact' : ''}`} aria-label={label}>
      <Tile
        label="Tries"
        value={formatCount(totals.attempts)}
        detail={`${formatCount(totals.succeeded)} succeeded · ${formatCount(totals.failed)} failed`}
      />
      <Tile
        label="Success rate"
        tone={rateTone}
        value={<RateText rate={totals.success_rate} why={why} />}
        detail="of tries answered 2xx"
      />
      <Tile
        label="Latency p50"
        value={<LatencyText ms={totals.latency_p50_ms} why={why} />}
        detail="half the tries took less"
      />
      <Tile
        label="Latency p95"
        value={<LatencyText ms={totals.latency_p95_ms} why={why} />}
        detail="95% of tries took less"
      />
      <Tile
        label="Dead deliveries"
        tone={totals.dead > 0 ? 'bad' : undefined}
        value={formatCount(totals.dead)}
        detail="ran out of retries"
      />
    </dl>
  );
}
