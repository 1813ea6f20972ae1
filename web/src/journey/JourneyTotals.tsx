// A journey's totals: runs that entered it, contacts waiting in it now, runs that completed it
// (reached a block with nothing after it), runs that left at an Exit block and runs its goal took
// out (converted). The journeys list shows them as columns; the builder as a strip over the canvas
// once the journey has run.
import type { JourneyTotals as Totals } from '../api';
import { formatCount } from '../stats';

export const TOTALS: { key: keyof Totals; label: string; title: string }[] = [
  { key: 'entered', label: 'Entered', title: 'Runs the trigger started' },
  { key: 'waiting', label: 'Waiting now', title: 'Contacts waiting at a delay now' },
  { key: 'completed', label: 'Completed', title: 'Runs that reached a block with nothing after it' },
  { key: 'exited', label: 'Exited', title: 'Runs that reached an Exit block' },
  { key: 'converted', label: 'Converted', title: "Runs the goal's event took out of the journey" },
];

// One total; 0 where the server does not count it (converted, before the Goal block).
export function totalOf(totals: Totals | null | undefined, key: keyof Totals): number {
  return totals?.[key] ?? 0;
}

export function hasRun(totals: Totals | null | undefined): totals is Totals {
  return !!totals && TOTALS.some((t) => totalOf(totals, t.key) > 0);
}

// `stale`: the last read failed; these are the counts read before.
export function JourneyTotals({ totals, stale }: { totals: Totals; stale?: boolean }) {
  return (
    <section className={`journey-totals ${stale ? 'stale' : ''}`} aria-label="Journey totals">
      <dl>
        {TOTALS.map((t) => (
          <div key={t.key} className="journey-total" data-total={t.key} title={t.title}>
            <dt>{t.label}</dt>
            <dd>{formatCount(totalOf(totals, t.key))}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
