// The webhooks list's "Success (24h)" cell: the server's success rate of the webhook's tries over
// the last 24 hours (one GET /v1/stats for the whole list), with its tries and dead deliveries.
import { formatCount, noTriesReason, type StatsReport } from '../../stats';
import { Missing, RateText } from './values';

// `failed`: the report could not be loaded.
export function SuccessCell({
  report,
  webhookId,
  failed,
}: {
  report: StatsReport | null;
  webhookId: string;
  failed?: boolean;
}) {
  if (!report && failed)
    return (
      <td>
        <Missing why="The statistics could not be loaded" />
      </td>
    );
  if (!report)
    return (
      <td className="muted" aria-busy="true">
        …
      </td>
    );
  const stats = report.webhooks?.find((s) => s.webhook_id === webhookId) ?? null;
  const why = noTriesReason('24h');
  if (!stats || stats.attempts === 0)
    return (
      <td>
        <RateText rate={null} why={why} />
      </td>
    );
  return (
    <td>
      <span
        className="stack"
        title={`${formatCount(stats.succeeded)} of ${formatCount(stats.attempts)} tries succeeded in the last 24 hours`}
      >
        <span
          className={`rate ${stats.success_rate !== null && stats.success_rate < 0.9 ? 'text-danger' : ''}`}
        >
          <RateText rate={stats.success_rate} why={why} />
        </span>
        <span className="muted small">
          {formatCount(stats.attempts)} tr{stats.attempts === 1 ? 'y' : 'ies'}
          {stats.dead ? ` · ${formatCount(stats.dead)} dead` : ''}
        </span>
      </span>
    </td>
  );
}
