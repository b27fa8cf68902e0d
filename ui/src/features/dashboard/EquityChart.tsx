import { useEffect, useRef } from "react";
import {
  AreaSeries,
  BaselineSeries,
  ColorType,
  CrosshairMode,
  LineStyle,
  TickMarkType,
  createChart,
  type IChartApi,
  type IRange,
  type ISeriesApi,
  type TickMarkFormatter,
  type Time,
  type UTCTimestamp,
} from "lightweight-charts";
import type { EquityPoint } from "../../lib/ipc";
import { formatMoney } from "../../lib/format";
import { cssVar, useTheme } from "../../lib/theme";
import { followContainerWidth } from "../../lib/chartSize";

const HEIGHT = 320;

/**
 * The UI's locale for the chart's date labels. Under a bare POSIX locale
 * (LANG unset) WebKitGTK reports `navigator.language` as "C", which Intl
 * rejects; the chart would then throw on every paint and stay blank.
 */
export function chartLocale(): string {
  try {
    return Intl.getCanonicalLocales(navigator.language)[0] ?? "en-US";
  } catch {
    return "en-US";
  }
}

type Point = { time: UTCTimestamp; value: number };

/**
 * Cumulative net P&L by close time. Numbers are converted to floats here
 * only as chart coordinates. Times are shifted by the local UTC offset
 * because the chart labels its axis in UTC.
 */
function toSeries(points: EquityPoint[], pick: (p: EquityPoint) => number = (p) => Number(p.cumulative_net)): Point[] {
  const sorted = points
    .map((p) => ({ ms: Date.parse(p.time), value: pick(p) }))
    .filter((p) => Number.isFinite(p.ms) && Number.isFinite(p.value))
    .sort((a, b) => a.ms - b.ms);
  const out: Point[] = [];
  for (const p of sorted) {
    const t = (Math.floor(p.ms / 1000) - new Date(p.ms).getTimezoneOffset() * 60) as UTCTimestamp;
    const last = out[out.length - 1];
    // The chart needs strictly increasing times: trades closing in the same
    // second collapse into one point holding the later cumulative value.
    if (last && t <= last.time) last.value = p.value;
    else out.push({ time: t, value: p.value });
  }
  if (out.length > 0) out.unshift({ time: (out[0]!.time - 60) as UTCTimestamp, value: 0 });
  return out;
}

/** The finest time-axis label the span in view gets. */
type AxisUnit = "time" | "day" | "month";

const DAY = 24 * 60 * 60;

/**
 * Months over about a quarter, days over two days, clock times only below.
 * The axis spaces points evenly, not by time, so without this a dense day in
 * a two-year curve gets "18:00" labels between the months.
 */
function axisUnit(range: IRange<Time> | null): AxisUnit {
  if (!range || typeof range.from !== "number" || typeof range.to !== "number") return "time";
  const span = range.to - range.from;
  return span > 92 * DAY ? "month" : span > 2 * DAY ? "day" : "time";
}

/** Tick marks finer than the unit get no label; the others keep the chart's own. */
function tickLabels(unit: AxisUnit): TickMarkFormatter {
  const finest = unit === "month" ? TickMarkType.Month : unit === "day" ? TickMarkType.DayOfMonth : TickMarkType.TimeWithSeconds;
  return (_time, type) => (type > finest ? "" : null);
}

export function themeOptions() {
  const text = cssVar("--text-muted") || "#666";
  const grid = cssVar("--grid") || "rgba(127,127,127,0.15)";
  return {
    layout: {
      background: { type: ColorType.Solid, color: "transparent" },
      textColor: text,
      fontFamily: cssVar("--font-ui") || "system-ui, sans-serif",
      fontSize: 11,
      attributionLogo: false,
      panes: { separatorColor: grid, separatorHoverColor: grid, enableResize: false },
    },
    grid: { vertLines: { color: grid }, horzLines: { color: grid } },
    rightPriceScale: { borderColor: grid },
    timeScale: { borderColor: grid },
  };
}

function seriesColors() {
  const pos = cssVar("--pos") || "#16a34a";
  const neg = cssVar("--neg") || "#dc2626";
  return {
    topLineColor: pos,
    topFillColor1: cssVar("--pos-fill-strong") || "rgba(22,163,74,0.28)",
    topFillColor2: cssVar("--pos-fill-weak") || "rgba(22,163,74,0.02)",
    bottomLineColor: neg,
    bottomFillColor1: cssVar("--neg-fill-weak") || "rgba(220,38,38,0.02)",
    bottomFillColor2: cssVar("--neg-fill-strong") || "rgba(220,38,38,0.28)",
  };
}

export function EquityChart({ points, currency }: { points: EquityPoint[]; currency: string | null }) {
  const boxRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<IChartApi | null>(null);
  const seriesRef = useRef<ISeriesApi<"Baseline"> | null>(null);
  const ddRef = useRef<ISeriesApi<"Area"> | null>(null);
  const currencyRef = useRef(currency);
  currencyRef.current = currency;
  const { resolved } = useTheme();

  // Created once with an explicit size: autoSize relies on a ResizeObserver
  // option WebKitGTK lacks (blank 300×150 canvas), so we resize ourselves.
  useEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const width = () => Math.max(200, Math.floor(box.getBoundingClientRect().width) || 600);
    const chart = createChart(box, {
      width: width(),
      height: HEIGHT,
      autoSize: false,
      ...themeOptions(),
      crosshair: { mode: CrosshairMode.Magnet },
      // minBarSpacing: fitContent shows the whole curve even with 100k points.
      timeScale: { ...themeOptions().timeScale, timeVisible: true, secondsVisible: false, minBarSpacing: 0.001 },
      localization: {
        locale: chartLocale(),
        priceFormatter: (p: number) => formatMoney(p.toFixed(2), { currency: currencyRef.current, places: Math.abs(p) >= 1000 ? 0 : 2 }),
      },
      handleScale: { axisPressedMouseMove: false },
    });
    const series = chart.addSeries(BaselineSeries, {
      baseValue: { type: "price", price: 0 },
      lineWidth: 2,
      priceLineVisible: false,
      lastValueVisible: true,
      ...seriesColors(),
    });
    series.createPriceLine({ price: 0, color: cssVar("--border-strong") || "#999", lineWidth: 1, lineStyle: LineStyle.Dotted, axisLabelVisible: false, title: "" });
    // Drawdown (distance below the running peak) in a pane under the curve.
    const neg = cssVar("--neg") || "#dc2626";
    const dd = chart.addSeries(
      AreaSeries,
      {
        lineColor: neg,
        topColor: cssVar("--neg-fill-weak") || "rgba(220,38,38,0.02)",
        bottomColor: cssVar("--neg-fill-strong") || "rgba(220,38,38,0.28)",
        lineWidth: 1,
        priceLineVisible: false,
        lastValueVisible: false,
        title: "drawdown",
      },
      1,
    );
    const panes = chart.panes();
    panes[0]?.setStretchFactor(3);
    panes[1]?.setStretchFactor(1);
    chartRef.current = chart;
    seriesRef.current = series;
    ddRef.current = dd;

    // Relabel the axis when zooming or new data changes the span in view.
    let unit: AxisUnit = "time";
    const onRange = (range: IRange<Time> | null) => {
      const next = axisUnit(range);
      if (next === unit) return;
      unit = next;
      chart.applyOptions({ timeScale: { tickMarkFormatter: tickLabels(unit) } });
    };
    chart.timeScale().subscribeVisibleTimeRangeChange(onRange);

    const stop = followContainerWidth(chart, width, HEIGHT);
    return () => {
      chartRef.current = null;
      seriesRef.current = null;
      ddRef.current = null;
      chart.timeScale().unsubscribeVisibleTimeRangeChange(onRange);
      stop();
    };
  }, []);

  useEffect(() => {
    const chart = chartRef.current;
    const series = seriesRef.current;
    if (!chart || !series) return;
    chart.applyOptions(themeOptions());
    series.applyOptions(seriesColors());
    ddRef.current?.applyOptions({ lineColor: cssVar("--neg"), topColor: cssVar("--neg-fill-weak"), bottomColor: cssVar("--neg-fill-strong") });
  }, [resolved]);

  useEffect(() => {
    const chart = chartRef.current;
    const series = seriesRef.current;
    if (!chart || !series) return;
    series.setData(toSeries(points));
    ddRef.current?.setData(toSeries(points, (p) => -Number(p.drawdown)));
    chart.timeScale().fitContent();
  }, [points]);

  return (
    <div className="chart-box">
      <div ref={boxRef} className="chart-canvas" style={{ height: HEIGHT }} data-testid="equity-chart" />
      {points.length === 0 && <div className="chart-empty">No closed trades in this selection.</div>}
    </div>
  );
}
