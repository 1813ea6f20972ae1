// A block's counts at its foot: how many contacts entered it, wait at it and left it; a goal's,
// how many it converted (the runs that entered it: each ends there). On the current version, the
// counts of all the journey's versions; on an older one, shown read only, that version's.
import type { BlockStats, BlockType } from '../api';

export function BlockCounts({ type, stats }: { type: BlockType; stats: BlockStats }) {
  if (type === 'goal') {
    return (
      <div className="block-stats" aria-label="Contacts">
        <span title="Contacts that left the journey when the goal's event happened">
          <strong data-stat="converted">{stats.entered}</strong> converted
        </span>
      </div>
    );
  }
  return (
    <div className="block-stats" aria-label="Contacts">
      <span title="Contacts that entered this block">
        <strong data-stat="entered">{stats.entered}</strong> entered
      </span>
      <span title="Contacts waiting at this block">
        <strong data-stat="waiting">{stats.waiting}</strong> waiting
      </span>
      <span title="Contacts that left this block">
        <strong data-stat="left">{stats.left}</strong> left
      </span>
    </div>
  );
}
