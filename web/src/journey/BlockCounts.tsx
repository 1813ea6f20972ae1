// A block's counts at its foot: how many contacts entered it, wait at it and left it; a goal's,
// how many it converted (the runs that entered it: each ends there). On an older version, shown
// read only, only how many wait at it (a goal holds no one: nothing).
import type { BlockStats, BlockType } from '../api';

export function BlockCounts({
  type,
  stats,
  waitingOnly,
}: {
  type: BlockType;
  stats: BlockStats;
  waitingOnly?: boolean;
}) {
  if (waitingOnly) {
    if (type === 'goal') return null;
    return (
      <div className="block-stats" aria-label="Contacts">
        <span title="Contacts waiting at this block on this version">
          <strong data-stat="waiting">{stats.waiting}</strong> waiting
        </span>
      </div>
    );
  }
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
