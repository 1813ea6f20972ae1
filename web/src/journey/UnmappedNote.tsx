// Under a webhook that waits for the answer: how many of its succeeded calls had an answer its
// response mapping could not copy whole onto the contact. Those contacts went on by Succeeded all
// the same; why each one did not map is on the delivery's attempts.
import { AlertIcon } from '../icons';
import { formatCount } from '../stats';

const WHY =
  'A field to copy was missing from the answer, was of another type, or the answer was not JSON. ' +
  "The contact went on by Succeeded; see the delivery's attempts for the answer.";

export function UnmappedNote({ count }: { count: number }) {
  return (
    <div className="block-note" title={WHY}>
      <AlertIcon size={13} />
      <span>
        <strong data-stat="unmapped">{formatCount(count)}</strong> answer{count === 1 ? '' : 's'} not
        mapped
      </span>
      {/* The title is for the mouse; screen readers read the reason here. */}
      <span className="sr-only"> {WHY}</span>
    </div>
  );
}
