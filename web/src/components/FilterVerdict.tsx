// What a webhook's filters make of the Test's sample: whether a real event like it would be
// delivered, and if not, which filters it does not match. Shown inside the test result, since
// the call itself is sent either way.
import type { Filter, TestReport } from '../api';
import { opLabel } from '../catalog';
import { AlertIcon, CheckIcon } from '../icons';
import { valueText } from './FilterRows';

// A filter as a phrase: `event_details.currency` is `BRL`; `contact.plan` exists.
export function FilterPhrase({ filter }: { filter: Filter }) {
  return (
    <>
      <code>{filter.field}</code> {opLabel(filter.op)}
      {filter.op !== 'exists' && (
        <>
          {' '}
          <code>{valueText(filter.value)}</code>
        </>
      )}
    </>
  );
}

export function FilterVerdict({ verdict }: { verdict: NonNullable<TestReport['filters']> }) {
  if (verdict.passed) {
    return (
      <div className="filter-verdict passed" role="status">
        <CheckIcon size={16} />
        <p>This event matches the filters: it would be delivered.</p>
      </div>
    );
  }
  return (
    <div className="filter-verdict filtered" role="status">
      <AlertIcon size={16} />
      <div>
        <p>
          <strong>Filtered out: a real event like this one would not be delivered.</strong> The test call
          was sent anyway, to check the receiver.
        </p>
        {verdict.failing.length > 0 && (
          <ul aria-label="Filters it does not match">
            {verdict.failing.map((f, i) => (
              <li key={i}>
                <FilterPhrase filter={f} />
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
