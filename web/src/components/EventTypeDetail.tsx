// One event name of the catalog, opened: the keys seen in its details, each as the placeholder
// that names it, and the details of a recent event.
import type { EventType } from '../api';
import { formatTime } from '../format';
import { Link } from '../router';
import { Code } from '../ui';

export function EventTypeDetail({ type }: { type: EventType }) {
  return (
    <div className="catalog-detail">
      <section aria-label={`Keys of ${type.name}`}>
        <h3>Keys</h3>
        {type.keys.length ? (
          <>
            <p className="muted small">Each one is a placeholder in a webhook&apos;s URL, headers and payload.</p>
            <ul className="catalog-keys">
              {type.keys.map((k) => (
                <li key={k}>
                  <code>{`{{event.${k}}}`}</code>
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p className="muted small">Its events came without details.</p>
        )}
        <p className="muted small">First seen {formatTime(type.first_seen_at)}.</p>
        <Link className="catalog-link small" to={`/deliveries?event=${encodeURIComponent(type.name)}`}>
          Deliveries of {type.name}
        </Link>
      </section>
      <section aria-label={`Example of ${type.name}`}>
        <h3>Example</h3>
        {type.example ? (
          <>
            <p className="muted small">The details of a recent event, which a webhook&apos;s Test sends.</p>
            <Code label={`Example details of ${type.name}`}>{JSON.stringify(type.example, null, 2)}</Code>
          </>
        ) : (
          <p className="muted">No example kept: the last one was too large, or its contact was deleted.</p>
        )}
      </section>
    </div>
  );
}
