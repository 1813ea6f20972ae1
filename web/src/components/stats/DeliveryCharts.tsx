// The dashboard's charts of a stats report (GET /v1/stats), drawn with uPlot: tries per step
// (succeeded and failed, stacked), and latency per step (p50 and p95). Each chart is a figure with
// a name and a summary for screen readers, a legend, a readout of the step under the pointer, and
// its numbers as a table (Show as table). Loaded on its own (React.lazy): uPlot only comes with it.
import { useId, useMemo, useState, type ReactNode } from 'react';
import uPlot from 'uplot';
import {
  formatCount,
  formatLatency,
  formatRate,
  formatStep,
  stepPhrase,
  windowPhrase,
  type StatsReport,
} from '../../stats';
import { Missing } from './values';
import { paletteColor, UPlotChart } from './UPlotChart';

const HINT = 'Point at the chart to see a step’s numbers.';

interface Colors {
  succeeded: string;
  failed: string;
  p50: string;
  p95: string;
  axis: string;
  grid: string;
}

function colors(): Colors {
  return {
    succeeded: paletteColor('--success', '#15803d'),
    failed: paletteColor('--danger', '#c62828'),
    p50: paletteColor('--accent', '#4f46e5'),
    p95: paletteColor('--warning', '#b45309'),
    axis: paletteColor('--muted', '#5f677c'),
    grid: paletteColor('--border', '#e2e5ee'),
  };
}

// Options both charts share: time along x (seconds, as uPlot counts), no zoom, no uPlot legend
// (the figure has its own), a bar's width of room at each end.
function baseOptions(stepMs: number, c: Colors, yValue: (v: number) => string): uPlot.Options {
  const half = stepMs / 2000;
  const axis = { stroke: c.axis, font: '11px "Inter Variable", sans-serif', ticks: { show: false } };
  return {
    width: 0,
    height: 0,
    legend: { show: false },
    cursor: { drag: { x: false, y: false }, points: { size: 7 } },
    select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    padding: [8, 8, 0, 0],
    scales: {
      x: { time: true, range: (_u, min, max) => [min - half, max + half] },
      y: { range: (_u, _min, max) => [0, Math.max(max, 1) * 1.12] },
    },
    axes: [
      { ...axis, grid: { show: false } },
      { ...axis, grid: { stroke: c.grid, width: 1 }, size: 56, values: (_u, splits) => splits.map(yValue) },
    ],
    series: [{}],
  };
}

function ChartFigure({
  title,
  legend,
  readout,
  description,
  table,
  children,
}: {
  title: string;
  legend: { label: string; color: string }[];
  readout: ReactNode;
  description: string;
  table: { columns: string[]; rows: ReactNode[][] };
  children: ReactNode;
}) {
  const id = useId();
  return (
    <figure className="card chart-card" aria-labelledby={`${id}-title`}>
      <figcaption className="chart-head">
        <h2 className="chart-title" id={`${id}-title`}>
          {title}
        </h2>
        <ul className="chart-legend" aria-label="Legend">
          {legend.map((l) => (
            <li key={l.label}>
              <span className="chart-swatch" style={{ background: l.color }} aria-hidden="true" />
              {l.label}
            </li>
          ))}
        </ul>
      </figcaption>
      <p className="chart-readout" aria-hidden="true">
        {readout}
      </p>
      <div role="img" aria-label={title} aria-describedby={`${id}-summary`} className="chart-canvas">
        {children}
      </div>
      <p id={`${id}-summary`} className="sr-only">
        {description}
      </p>
      <details className="chart-data">
        <summary>Show as table</summary>
        {table.rows.length === 0 ? (
          <p className="muted small">No tries in this window.</p>
        ) : (
          <table className="table chart-table" aria-label={`${title}, as a table`}>
            <thead>
              <tr>
                {table.columns.map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((cells, i) => (
                <tr key={i}>
                  {cells.map((cell, j) =>
                    j === 0 ? (
                      <th key={j} scope="row">
                        {cell}
                      </th>
                    ) : (
                      <td key={j}>{cell}</td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </details>
    </figure>
  );
}

// Tries per step: the bar's full height is every try, its green part the ones that succeeded.
export function TriesChart({ report, height = 200 }: { report: StatsReport; height?: number }) {
  const [hover, setHover] = useState<number | null>(null);
  const c = useMemo(colors, []);
  const step = stepPhrase(report.step_ms);
  const options = useMemo(() => {
    const o = baseOptions(report.step_ms, c, (v) => (Number.isInteger(v) ? formatCount(v) : ''));
    const bars = uPlot.paths.bars!({ size: [0.8, 28, 1], gap: 1 });
    o.axes![1].incrs = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 50_000, 100_000];
    o.axes![1].space = height < 160 ? 18 : 30; // a small chart still shows a few counts
    o.series.push(
      { label: 'Failed', fill: c.failed, stroke: c.failed, width: 0, paths: bars, points: { show: false } },
      {
        label: 'Succeeded',
        fill: c.succeeded,
        stroke: c.succeeded,
        width: 0,
        paths: bars,
        points: { show: false },
      },
    );
    return o;
  }, [report.step_ms, c, height]);
  const data = useMemo<uPlot.AlignedData>(
    () => [
      report.series.map((p) => p.at / 1000),
      report.series.map((p) => p.attempts),
      report.series.map((p) => p.succeeded),
    ],
    [report],
  );
  const busiest = report.series.reduce<(typeof report.series)[number] | null>(
    (best, p) => (p.attempts > (best?.attempts ?? 0) ? p : best),
    null,
  );
  const t = report.totals;
  const description =
    `${formatCount(t.attempts)} tries ${windowPhrase(report.window)}: ${formatCount(t.succeeded)} succeeded, ` +
    `${formatCount(t.failed)} failed.` +
    (busiest
      ? ` The busiest ${step} began ${formatStep(busiest.at, report.window)}, with ${formatCount(busiest.attempts)} tries.`
      : '');
  const point = hover === null ? null : report.series[hover];
  const withTries = report.series.filter((p) => p.attempts > 0);
  return (
    <ChartFigure
      title={`Tries per ${step}`}
      legend={[
        { label: 'Succeeded', color: c.succeeded },
        { label: 'Failed', color: c.failed },
      ]}
      readout={
        point
          ? `${formatStep(point.at, report.window)} · ${formatCount(point.attempts)} tries · ${formatCount(point.succeeded)} succeeded · ${formatCount(point.failed)} failed`
          : HINT
      }
      description={description}
      table={{
        columns: [
          `${step.charAt(0).toUpperCase()}${step.slice(1)} from`,
          'Tries',
          'Succeeded',
          'Failed',
          'Success',
        ],
        rows: withTries.map((p) => [
          formatStep(p.at, report.window),
          formatCount(p.attempts),
          formatCount(p.succeeded),
          formatCount(p.failed),
          formatRate(p.success_rate) ?? '—',
        ]),
      }}
    >
      <UPlotChart options={options} data={data} height={height} onCursor={setHover} />
    </ChartFigure>
  );
}

// Latency per step: how long tries took, the median (p50) and the slowest 5% (p95).
export function LatencyChart({ report, height = 200 }: { report: StatsReport; height?: number }) {
  const [hover, setHover] = useState<number | null>(null);
  const c = useMemo(colors, []);
  const step = stepPhrase(report.step_ms);
  const options = useMemo(() => {
    const o = baseOptions(report.step_ms, c, (v) => formatLatency(v) ?? '');
    const line = { width: 2, spanGaps: false, points: { show: true, size: 5 } };
    o.series.push(
      { ...line, label: 'p50', stroke: c.p50, points: { ...line.points, fill: c.p50 } },
      { ...line, label: 'p95', stroke: c.p95, points: { ...line.points, fill: c.p95 } },
    );
    return o;
  }, [report.step_ms, c]);
  const data = useMemo<uPlot.AlignedData>(
    () => [
      report.series.map((p) => p.at / 1000),
      report.series.map((p) => p.latency_p50_ms),
      report.series.map((p) => p.latency_p95_ms),
    ],
    [report],
  );
  const t = report.totals;
  const description =
    t.attempts === 0
      ? `No tries ${windowPhrase(report.window)}, so no latency.`
      : `Over ${windowPhrase(report.window).replace(/^in /, '')}, half the tries took at most ` +
        `${formatLatency(t.latency_p50_ms)} and 95% at most ${formatLatency(t.latency_p95_ms)}.`;
  const point = hover === null ? null : report.series[hover];
  const none = <Missing why={`No tries in this ${step}`} />;
  return (
    <ChartFigure
      title={`Latency per ${step}`}
      legend={[
        { label: 'Median (p50)', color: c.p50 },
        { label: 'Slowest 5% (p95)', color: c.p95 },
      ]}
      readout={
        point
          ? point.attempts
            ? `${formatStep(point.at, report.window)} · p50 ${formatLatency(point.latency_p50_ms)} · p95 ${formatLatency(point.latency_p95_ms)}`
            : `${formatStep(point.at, report.window)} · no tries`
          : HINT
      }
      description={description}
      table={{
        columns: [`${step.charAt(0).toUpperCase()}${step.slice(1)} from`, 'Tries', 'p50', 'p95'],
        rows: report.series
          .filter((p) => p.attempts > 0)
          .map((p) => [
            formatStep(p.at, report.window),
            formatCount(p.attempts),
            formatLatency(p.latency_p50_ms) ?? none,
            formatLatency(p.latency_p95_ms) ?? none,
          ]),
      }}
    >
      <UPlotChart options={options} data={data} height={height} onCursor={setHover} />
    </ChartFigure>
  );
}
