// A contact's timeline: the events sent about it and the deliveries they caused, newest first,
// each delivery linking to its attempts.
import type { ActivityItem, Delivery, TimelineEvent, Webhook } from '../../api';
import { formatTime } from '../../format';
import { useWebhooks } from '../../hooks';
import { BoltIcon, DeliveryIcon } from '../../icons';
import { Link } from '../../router';
import { Alert, Button, Code, DeliveryStatusBadge, EmptyState, Loading } from '../../ui';
import { useContactActivity } from './useContactActivity';

function EventEntry({ event }: { event: TimelineEvent }) {
  const hasDetails = Object.keys(event.event_details).length > 0;
  return (
    <div className="timeline-body">
      <p className="timeline-line">
        Event <span className="mono strong">{event.event}</span>
        {event.event_time !== event.received_at && (
          <span className="muted small"> · happened {formatTime(event.event_time)}</span>
        )}
      </p>
      {hasDetails && (
        <details className="timeline-details">
          <summary>Details</summary>
          <Code label={`Details of ${event.event}`}>{JSON.stringify(event.event_details, null, 2)}</Code>
        </details>
      )}
    </div>
  );
}

function DeliveryEntry({ delivery, webhooks }: { delivery: Delivery; webhooks: Map<string, Webhook> }) {
  const webhook = webhooks.get(delivery.webhook_id);
  return (
    <div className="timeline-body">
      <p className="timeline-line">
        <Link to={`/deliveries/${delivery.id}`} className="strong-link">
          {webhook ? `Sent to ${webhook.name}` : 'Sent to a deleted webhook'}
        </Link>{' '}
        <DeliveryStatusBadge status={delivery.status} />
      </p>
      <p className="muted small">
        <span className="mono">{delivery.event}</span> · {delivery.attempt_count}{' '}
        {delivery.attempt_count === 1 ? 'attempt' : 'attempts'}
        {delivery.last_status !== null && ` · last answer HTTP ${delivery.last_status}`}
        {delivery.last_status === null && delivery.last_error && ` · ${delivery.last_error}`}
      </p>
    </div>
  );
}

function Entry({ item, webhooks }: { item: ActivityItem; webhooks: Map<string, Webhook> }) {
  const isEvent = item.type === 'event';
  return (
    <li className={`timeline-entry timeline-${item.type}`}>
      <span className="timeline-icon" aria-hidden="true">
        {isEvent ? <BoltIcon size={14} /> : <DeliveryIcon size={14} />}
      </span>
      <time className="timeline-time small muted" dateTime={new Date(item.at).toISOString()}>
        {formatTime(item.at)}
      </time>
      {item.type === 'event' ? (
        <EventEntry event={item.event} />
      ) : (
        <DeliveryEntry delivery={item.delivery} webhooks={webhooks} />
      )}
    </li>
  );
}

export function ContactActivity({ contactId }: { contactId: string }) {
  const { items, completeSince, more, loading, error, loadOlder } = useContactActivity(contactId);
  const { data: webhookList } = useWebhooks();
  const webhooks = new Map((webhookList ?? []).map((w) => [w.id, w]));
  if (loading && items.length === 0) return <Loading label="Reading the contact's activity…" />;
  return (
    <div className="timeline-card card">
      {error && <Alert title="Could not load the contact's activity">{error}</Alert>}
      {items.length === 0 && !more && !error && (
        <EmptyState icon={<BoltIcon size={28} />} title="No activity kept">
          Events your app sends about this contact, and the deliveries they cause, show here for as long
          as the log keeps them. Contact and list changes show only when a webhook or journey listens to
          them.
        </EmptyState>
      )}
      {items.length > 0 && (
        <ol className="timeline" aria-label="Activity of this contact">
          {items.map((item) => (
            <Entry
              key={item.type === 'event' ? `e-${item.event.id}` : `d-${item.delivery.id}`}
              item={item}
              webhooks={webhooks}
            />
          ))}
        </ol>
      )}
      {more && (
        <div className="timeline-more">
          <span className="muted small" role="status">
            {items.length === 0
              ? `Nothing since ${formatTime(completeSince)}.`
              : `Everything since ${formatTime(completeSince)} is shown.`}
          </span>
          <Button variant="secondary" onClick={loadOlder} busy={loading}>
            Show older activity
          </Button>
        </div>
      )}
    </div>
  );
}
