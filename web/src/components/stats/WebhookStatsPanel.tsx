// A webhook's last 24 hours on its page: tries, success rate, p95 latency and dead deliveries as
// the server counts them (GET /v1/stats?webhook_id=...), a small chart of its tries, its circuit
// breaker, and a link to its deliveries.
import type { WebhookBreaker } from '../../api';
import { Link } from '../../router';
import { formatCount, noTriesReason, useStats, windowPhrase } from '../../stats';
import { Loading } from '../../ui';
import { BreakerBadge } from './BreakerBadge';
import { TriesChart } from './LazyCharts';
import { LatencyText, RateText } from './values';

export function WebhookStatsPanel({ webhookId, breaker }: { webhookId: string; breaker?: WebhookBreaker }) {
  const { data: report, error } = useStats('24h', webhookId);
  const why = noTriesReason('24h');
  return (
    <section className="card webhook-stats-panel" aria-labelledby="webhook-stats-title">
      <div className="panel-head">
        <h2 id="webhook-stats-title">Last 24 hours</h2>
        <span className="panel-head-side">
          {breaker && (
            <span className="small muted">
              Breaker <BreakerBadge breaker={breaker} />
            </span>
          )}
          <Link to={`/deliveries?webhook_id=${encodeURIComponent(webhookId)}`} className="small">
            See its deliveries
          </Link>
        </span>
      </div>
      {error && <p className="text-danger small">Could not load the statistics: {error.message}</p>}
      {!report && !error && <Loading />}
      {report && (
        <>
          <dl className="stat-tiles stat-tiles-compact" aria-label="This webhook's last 24 hours">
            <div className="stat-tile">
              <dt>Tries</dt>
              <dd className="stat-value">{formatCount(report.totals.attempts)}</dd>
            </div>
            <div className={`stat-tile ${(report.totals.success_rate ?? 1) < 0.9 ? 'stat-tile-bad' : ''}`}>
              <dt>Success rate</dt>
              <dd className="stat-value">
                <RateText rate={report.totals.success_rate} why={why} />
              </dd>
            </div>
            <div className="stat-tile">
              <dt>Latency p95</dt>
              <dd className="stat-value">
                <LatencyText ms={report.totals.latency_p95_ms} why={why} />
              </dd>
            </div>
            <div className={`stat-tile ${report.totals.dead ? 'stat-tile-bad' : ''}`}>
              <dt>Dead deliveries</dt>
              <dd className="stat-value">{formatCount(report.totals.dead)}</dd>
            </div>
          </dl>
          {report.totals.attempts === 0 ? (
            <p className="muted small panel-note">
              No deliveries {windowPhrase('24h')}: the numbers start with its first call.
            </p>
          ) : (
            <TriesChart report={report} height={130} />
          )}
        </>
      )}
    </section>
  );
}
