// The charts load with their own chunk (uPlot comes only with them); until then a placeholder of
// their size holds their place.
import { lazy, Suspense } from 'react';
import type { StatsReport } from '../../stats';

const Tries = lazy(() => import('./DeliveryCharts').then((m) => ({ default: m.TriesChart })));
const Latency = lazy(() => import('./DeliveryCharts').then((m) => ({ default: m.LatencyChart })));

function Placeholder({ height }: { height: number }) {
  return <div className="card chart-card chart-placeholder" style={{ minHeight: height + 90 }} />;
}

export function TriesChart({ report, height = 200 }: { report: StatsReport; height?: number }) {
  return (
    <Suspense fallback={<Placeholder height={height} />}>
      <Tries report={report} height={height} />
    </Suspense>
  );
}

export function LatencyChart({ report, height = 200 }: { report: StatsReport; height?: number }) {
  return (
    <Suspense fallback={<Placeholder height={height} />}>
      <Latency report={report} height={height} />
    </Suspense>
  );
}
