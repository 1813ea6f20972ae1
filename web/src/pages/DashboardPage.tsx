// The first page after sign-in: how webhook calls went over the last hour, day or week, as the
// server counts them (GET /v1/stats): the big numbers, tries and latency per step, and the webhooks
// worst first. The window is kept in the address (?window=7d); the numbers refresh every 30 s.
import { TriesChart, LatencyChart } from '../components/stats/LazyCharts';
import { StatTiles } from '../components/stats/StatTiles';
import { WebhookStatsTable } from '../components/stats/WebhookStatsTable';
import { WindowSwitch } from '../components/stats/WindowSwitch';
import { useInterval, useUrlFilters, useWebhooks } from '../hooks';
import { DashboardIcon, PlusIcon } from '../icons';
import { Link, useLocation } from '../router';
import { isStatsWindow, useStats, windowLabel, windowPhrase, type StatsWindow } from '../stats';
import { Alert, EmptyState, Loading, PageHeader } from '../ui';

const REFRESH_MS = 30_000;

export function DashboardPage() {
  const { path } = useLocation();
  const { filters, set } = useUrlFilters(path, { window: '' });
  const selected: StatsWindow = isStatsWindow(filters.window) ? filters.window : '24h';
  const stats = useStats(selected);
  const webhooks = useWebhooks();
  useInterval(() => {
    void stats.reload();
    void webhooks.reload();
  }, REFRESH_MS);

  // The report of another window is shown only until the one asked for arrives.
  const report = stats.data;
  const stale = !!report && report.window !== selected;

  return (
    <div className="page dashboard">
      <PageHeader
        title="Dashboard"
        description={`How your webhook calls went ${windowPhrase(selected)}. Updated every 30 seconds.`}
        actions={<WindowSwitch value={selected} onChange={(w) => set({ window: w === '24h' ? '' : w })} />}
      />
      {stats.error && <Alert title="Could not load the statistics">{stats.error.message}</Alert>}
      {!report && stats.loading && <Loading />}
      {report && (
        <div className={`dashboard-body ${stale ? 'stale' : ''}`} aria-busy={stale || undefined}>
          {report.totals.attempts === 0 ? (
            <EmptyState
              icon={<DashboardIcon size={28} />}
              title={`No deliveries ${windowPhrase(report.window)}`}
              action={
                <Link to="/webhooks/new" className="btn btn-primary">
                  <PlusIcon size={16} /> Create a webhook
                </Link>
              }
            >
              Each time an event reaches a subscribed webhook, or a contact reaches a journey's Webhook block,
              its calls are counted here.
              {webhooks.data && webhooks.data.length > 0 && (
                <>
                  {' '}
                  You have {webhooks.data.length} webhook{webhooks.data.length === 1 ? '' : 's'}:{' '}
                  <Link to="/webhooks">see them</Link>
                  {report.window === '7d' ? '.' : ', or pick a longer window.'}
                </>
              )}
            </EmptyState>
          ) : (
            <>
              <StatTiles
                totals={report.totals}
                window={report.window}
                label={`Totals, ${windowLabel(report.window).toLowerCase()}`}
              />
              <div className="chart-grid">
                <TriesChart report={report} />
                <LatencyChart report={report} />
              </div>
              <h2 className="section-title">Webhooks</h2>
              <WebhookStatsTable report={report} webhooks={webhooks.data} />
            </>
          )}
        </div>
      )}
    </div>
  );
}
