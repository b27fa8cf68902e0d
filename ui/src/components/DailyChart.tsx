import { useEffect, useRef } from "react";
import { BaselineSeries, HistogramSeries, LineSeries, createChart, type IChartApi, type Time } from "lightweight-charts";
import { chartLocale, themeOptions } from "../features/dashboard/EquityChart";
import { cssVar, useTheme } from "../lib/theme";
import { followContainerWidth } from "../lib/chartSize";

export type DailyValue = { day: string; value: number };

/** One pane of a daily chart, top to bottom. */
export type DailyPane = {
  /** Shown in the legend above the chart. */
  title: string;
  /** Bars (green/red by sign when `signed`), an area around zero, or a line. */
  kind: "histogram" | "baseline" | "line";
  points: DailyValue[];
  /** Axis and crosshair labels. */
  format: (v: number) => string;
  signed?: boolean;
  /** Relative height (default 1). */
  stretch?: number;
};

type Props = {
  /** Memoize it: a new array rebuilds the chart. */
  panes: DailyPane[];
  height?: number;
  testId?: string;
  /** Said when every pane is empty. */
  emptyText?: string;
};

/** Sorted by day, one point a day (days are `YYYY-MM-DD`, which the chart takes as business days). */
function clean(points: DailyValue[]): DailyValue[] {
  const byDay = new Map<string, number>();
  for (const p of points) if (Number.isFinite(p.value) && /^\d{4}-\d{2}-\d{2}$/.test(p.day)) byDay.set(p.day, p.value);
  return [...byDay.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([day, value]) => ({ day, value }));
}

/**
 * Daily series in stacked panes (lightweight-charts, as the dashboard's equity curve).
 * Decimal amounts become floats here only as chart coordinates.
 */
export function DailyChart({ panes, height = 280, testId, emptyText = "No trades in this period." }: Props) {
  const boxRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<IChartApi | null>(null);
  const { resolved } = useTheme();
  const empty = panes.every((p) => p.points.length === 0);

  useEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    // Explicit size, as EquityChart: autoSize needs a ResizeObserver option WebKitGTK lacks.
    const width = () => Math.max(200, Math.floor(box.getBoundingClientRect().width) || 600);
    const base = themeOptions();
    const chart = createChart(box, {
      width: width(),
      height,
      autoSize: false,
      ...base,
      timeScale: { ...base.timeScale, timeVisible: false },
      localization: { locale: chartLocale() },
      handleScale: { axisPressedMouseMove: false },
    });
    const pos = cssVar("--pos") || "#16a34a";
    const neg = cssVar("--neg") || "#dc2626";
    const accent = cssVar("--accent") || "#2563eb";
    panes.forEach((pane, i) => {
      const data = clean(pane.points);
      const priceFormat = { type: "custom" as const, formatter: pane.format, minMove: 0.01 };
      // The legend above names the panes; the value labels stay short.
      const common = { priceLineVisible: false, lastValueVisible: true, priceFormat };
      if (pane.kind === "histogram") {
        const s = chart.addSeries(HistogramSeries, { ...common, color: accent }, i);
        s.setData(data.map((p) => ({ time: p.day as Time, value: p.value, color: pane.signed ? (p.value < 0 ? neg : pos) : accent })));
      } else if (pane.kind === "baseline") {
        const s = chart.addSeries(
          BaselineSeries,
          {
            ...common,
            baseValue: { type: "price", price: 0 },
            lineWidth: 2,
            topLineColor: pos,
            topFillColor1: cssVar("--pos-fill-strong") || "rgba(22,163,74,0.28)",
            topFillColor2: cssVar("--pos-fill-weak") || "rgba(22,163,74,0.02)",
            bottomLineColor: neg,
            bottomFillColor1: cssVar("--neg-fill-weak") || "rgba(220,38,38,0.02)",
            bottomFillColor2: cssVar("--neg-fill-strong") || "rgba(220,38,38,0.28)",
          },
          i,
        );
        s.setData(data.map((p) => ({ time: p.day as Time, value: p.value })));
      } else {
        const s = chart.addSeries(LineSeries, { ...common, color: accent, lineWidth: 2 }, i);
        s.setData(data.map((p) => ({ time: p.day as Time, value: p.value })));
      }
    });
    chart.panes().forEach((p, i) => p.setStretchFactor(panes[i]?.stretch ?? 1));
    chart.timeScale().fitContent();
    chartRef.current = chart;

    const stop = followContainerWidth(chart, width, height);
    return () => {
      chartRef.current = null;
      stop();
    };
  }, [panes, height, resolved]);

  return (
    <div className="chart-box">
      <div className="chart-legend muted small">
        {panes.map((p, i) => (
          <span key={p.title}>
            {i > 0 && " · "}
            {p.title}
          </span>
        ))}
        {panes.length > 1 && <span> (top to bottom)</span>}
      </div>
      <div ref={boxRef} className="chart-canvas" style={{ height }} data-testid={testId} />
      {empty && <div className="chart-empty">{emptyText}</div>}
    </div>
  );
}
