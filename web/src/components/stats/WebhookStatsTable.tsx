// The dashboard's table of webhooks, worst first: each webhook's tries, success rate, p95 latency
// and dead deliveries in the window (from the stats report) and its circuit breaker (from the
// webhook itself). Webhooks without tries in the window come last; deleted webhooks whose tries
// still count have no link.
import type { Webhook, WebhookBreaker } from '../../api';
import { formatTime } from '../../format';
import { Link } from '../../router';
import {
  compareWorstFirst,
  formatCount,
  noTriesReason,
  windowPhrase,
  type StatsReport,
  type WebhookStats,
} from '../../stats';
import { Badge } from '../../ui';
import { TableCard } from '../TableCard';
import { LatencyText, Missing, RateText } from './values';

interface Row {
  id: string;
  name: string;
  deleted: boolean; // since its tries
  webhook: Webhook | null; // null: deleted, or the list of webhooks is not loaded
  stats: WebhookStats | null; // null: no tries in the window
}

export function BreakerBadge({ breaker }: { breaker: WebhookBreaker | undefined }) {
  if (!breaker) return <Missing why="The server did not say" />;
  const n = breaker.consecutive_failures;
  const failures = `${formatCount(n)} failed tr${n === 1 ? 'y' : 'ies'} in a row`;
  if (breaker.state === 'open')
    return (
      <span
        title={`Calls are held back${breaker.open_until ? ` until ${formatTime(breaker.open_until)}` : ''} after ${failures}.`}
      >
        <Badge tone="danger">Backing off</Badge>
      </span>
    );
  if (breaker.state === 'half_open')
    return (
      <span title={`After ${failures}, one call goes through to see whether the receiver is back.`}>
        <Badge tone="warning">Trying again</Badge>
      </span>
    );
  if (breaker.consecutive_failures > 0)
    return (
      <span title="Calls go out as usual; if the failures go on, the breaker holds calls back for a while.">
        <Badge tone="warning">{failures}</Badge>
      </span>
    );
  return (
    <span title="Calls go out as usual.">
      <Badge>Normal</Badge>
    </span>
  );
}

// `webhooks`: every webhook of the workspace (null until loaded), for the ones without tries and
// for their breakers.
export function WebhookStatsTable({ report, webhooks }: { report: StatsReport; webhooks: Webhook[] | null }) {
  const byId = new Map((report.webhooks ?? []).map((s) => [s.webhook_id, s]));
  const rows: Row[] = (webhooks ?? []).map((w) => ({
    id: w.id,
    name: w.name,
    deleted: false,
    webhook: w,
    stats: byId.get(w.id) ?? null,
  }));
  const known = new Set(rows.map((r) => r.id));
  for (const s of report.webhooks ?? []) {
    if (known.has(s.webhook_id)) continue;
    rows.push({
      id: s.webhook_id,
      name: s.name ?? 'Deleted webhook',
      deleted: s.name === null,
      webhook: null,
      stats: s,
    });
  }
  rows.sort(compareWorstFirst);
  const why = noTriesReason(report.window);

  return (
    <TableCard
      label={`Webhooks, worst first, ${windowPhrase(report.window)}`}
      className="webhook-stats-table"
      columns={[
        'Webhook',
        { label: 'Tries', className: 'num' },
        { label: 'Success', className: 'num' },
        { label: 'Latency p95', className: 'num' },
        { label: 'Dead', className: 'num' },
        'Breaker',
      ]}
    >
      {rows.map((r) => (
        <tr key={r.id}>
          <td>
            {!r.deleted ? (
              <Link to={`/webhooks/${r.id}`} className="strong-link">
                {r.name}
              </Link>
            ) : (
              <span className="muted" title={`Deleted; its id was ${r.id}`}>
                {r.name}
              </span>
            )}
          </td>
          <td className="num">{formatCount(r.stats?.attempts ?? 0)}</td>
          <td className={`num rate ${(r.stats?.success_rate ?? 1) < 0.9 ? 'text-danger' : ''}`}>
            <RateText rate={r.stats?.success_rate ?? null} why={why} />
          </td>
          <td className="num">
            <LatencyText ms={r.stats?.latency_p95_ms ?? null} why={why} />
          </td>
          <td className={`num ${r.stats?.dead ? 'text-danger strong' : ''}`}>
            {formatCount(r.stats?.dead ?? 0)}
          </td>
          <td>
            {r.deleted ? (
              <Missing why="Deleted webhook" />
            ) : webhooks === null ? (
              <span className="muted">…</span>
            ) : (
              <BreakerBadge breaker={r.webhook?.breaker} />
            )}
          </td>
        </tr>
      ))}
    </TableCard>
  );
}
