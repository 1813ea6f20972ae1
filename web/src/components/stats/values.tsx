// A statistic as text: the number, or a dash that says (on hover and to screen readers) why there
// is none, such as "No tries in the last 24 hours". Never "NaN", never a bare dash.
import { formatLatency, formatRate } from '../../stats';
import './stats.css';

export function Missing({ why }: { why: string }) {
  return (
    <span className="stat-missing" title={why}>
      <span aria-hidden="true">—</span>
      <span className="sr-only">{why}</span>
    </span>
  );
}

export function RateText({ rate, why }: { rate: number | null; why: string }) {
  const text = formatRate(rate);
  return text === null ? <Missing why={why} /> : <>{text}</>;
}

export function LatencyText({ ms, why }: { ms: number | null; why: string }) {
  const text = formatLatency(ms);
  return text === null ? <Missing why={why} /> : <>{text}</>;
}
