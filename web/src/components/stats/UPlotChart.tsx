// A thin React wrapper around uPlot (a small canvas chart library): the chart is made when the
// options change, fed new data in place, sized to its container's width, and destroyed on unmount.
// It draws on a canvas only: the caller gives the chart its accessible name and a text version.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export function UPlotChart({
  options,
  data,
  height,
  onCursor,
}: {
  options: Omit<uPlot.Options, 'width' | 'height'>; // memoised by the caller: a change remakes the chart
  data: uPlot.AlignedData;
  height: number;
  onCursor?: (index: number | null) => void; // the step under the pointer, null when it leaves
}) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const cursor = useRef(onCursor);
  cursor.current = onCursor;
  const latest = useRef(data);
  latest.current = data;

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const chart = new uPlot(
      {
        ...options,
        width: Math.max(el.clientWidth, 100),
        height,
        hooks: {
          ...options.hooks,
          setCursor: [
            ...(options.hooks?.setCursor ?? []),
            (u: uPlot) => cursor.current?.(u.cursor.idx ?? null),
          ],
        },
      },
      latest.current,
      el,
    );
    plot.current = chart;
    let width = el.clientWidth;
    const resize = new ResizeObserver(() => {
      if (el.clientWidth === width || el.clientWidth === 0) return;
      width = el.clientWidth;
      chart.setSize({ width, height });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, [options, height]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return <div ref={host} className="uplot-host" />;
}

// A colour of the UI's palette (styles.css), for drawing on the canvas.
export function paletteColor(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}
