// The dashboard's table of webhooks, worst first: each webhook's tries, success rate, p95 latency
// and dead deliveries in the window (from the stats report) and its circuit breaker (from the
// webhook itself). Webhooks without tries in the window come last; deleted webhooks whose tries
// still count have no link.
import type { Webhook } from '../../api';
import { Link } from '../../router';
import {
  compareWorstFirst,
  formatCount,
  noTriesReason,
  windowPhrase,
  type StatsReport,
  type WebhookStats,
} from '../../stats';
import { TableCard } from '../TableCard';
import { BreakerBadge } from './BreakerBadge';
import { LatencyText, Missing, RateText } from './values';

interface Row {
  id: string;
  name: string;
  deleted: boolean; // since its tries
  webhook: Webhook | null; // null: deleted, or the list of webhooks is not loaded
  stats: WebhookStats | null; // null: no tries in the window
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
