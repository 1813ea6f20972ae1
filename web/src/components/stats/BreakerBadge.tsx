// A webhook's circuit breaker in the marketer's words: Normal; some failed tries in a row; Backing
// off (calls wait) or Trying again (one call goes through), each since the time it began holding
// calls back (`opened_at`, kept while failed probes reopen it: the receiver has failed since then).
import type { WebhookBreaker } from '../../api';
import { formatElapsed, formatSince, formatTime } from '../../format';
import { formatCount } from '../../stats';
import { Badge } from '../../ui';
import { Missing } from './values';

function Since({ at, prefix }: { at: number; prefix: string }) {
  return (
    <span className="breaker-since">
      {prefix} <time dateTime={new Date(at).toISOString()}>{formatSince(at)}</time>
    </span>
  );
}

export function BreakerBadge({ breaker }: { breaker: WebhookBreaker | undefined }) {
  if (!breaker) return <Missing why="The server did not say" />;
  const n = breaker.consecutive_failures;
  const failures = `${formatCount(n)} failed tr${n === 1 ? 'y' : 'ies'} in a row`;
  const opened = breaker.opened_at ?? null;
  const failing = opened
    ? `The receiver has failed since ${formatTime(opened)} (${formatElapsed(opened)}), ${failures}.`
    : `After ${failures}:`;
  if (breaker.state === 'open') {
    const next = breaker.open_until ? ` until ${formatTime(breaker.open_until)}, then one goes through` : '';
    return (
      <span className="breaker" title={`${failing} Calls to it wait${next}.`}>
        <Badge tone="danger">Backing off</Badge>
        {opened && <Since at={opened} prefix="since" />}
      </span>
    );
  }
  if (breaker.state === 'half_open')
    return (
      <span className="breaker" title={`${failing} One call goes through to see whether it is back.`}>
        <Badge tone="warning">Trying again</Badge>
        {opened && <Since at={opened} prefix="failing since" />}
      </span>
    );
  if (n > 0)
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
