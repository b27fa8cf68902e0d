import { useEffect, useRef } from "react";
import {
  CrosshairMode,
  LineSeries,
  LineStyle,
  createChart,
  createSeriesMarkers,
  type IChartApi,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from "lightweight-charts";
import type { FillRow } from "../../lib/ipc";
import { formatDecimal } from "../../lib/format";
import { cssVar, useTheme } from "../../lib/theme";
import { chartLocale, themeOptions } from "../dashboard/EquityChart";
import { followContainerWidth } from "../../lib/chartSize";

const HEIGHT = 240;

/** Chart seconds: the instant shifted by the computer's UTC offset, since the chart labels its axis in UTC. */
const chartTime = (iso: string): UTCTimestamp => {
  const ms = Date.parse(iso);
  return (Math.floor(ms / 1000) - new Date(ms).getTimezoneOffset() * 60) as UTCTimestamp;
};

/**
 * The trade's fills over time: a line through the fill prices, buys as green
 * arrows below, sells as red arrows above. Prices become floats here only as
 * chart coordinates.
 */
export function FillChart({ fills, plannedStop }: { fills: FillRow[]; plannedStop: string | null }) {
  const boxRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<IChartApi | null>(null);
  const seriesRef = useRef<ISeriesApi<"Line"> | null>(null);
  const markersRef = useRef<ISeriesMarkersPluginApi<Time> | null>(null);
  const { resolved } = useTheme();

  // Explicit size: WebKitGTK lacks the ResizeObserver option autoSize needs.
  useEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const width = () => Math.max(200, Math.floor(box.getBoundingClientRect().width) || 600);
    const chart = createChart(box, {
      width: width(),
      height: HEIGHT,
      autoSize: false,
      ...themeOptions(),
      crosshair: { mode: CrosshairMode.Normal },
      timeScale: { ...themeOptions().timeScale, timeVisible: true, secondsVisible: true },
      localization: { locale: chartLocale(), priceFormatter: (p: number) => formatDecimal(p.toFixed(6), 2, 4) },
      // The wheel scrolls the page, not the chart (drag and pinch still zoom).
      handleScale: { axisPressedMouseMove: false, mouseWheel: false },
      handleScroll: { mouseWheel: false },
      rightPriceScale: { ...themeOptions().rightPriceScale, scaleMargins: { top: 0.25, bottom: 0.25 } },
    });
    const series = chart.addSeries(LineSeries, {
      color: cssVar("--border-strong") || "#999",
      lineWidth: 1,
      lineStyle: LineStyle.Dashed,
      priceLineVisible: false,
      lastValueVisible: false,
      pointMarkersVisible: true,
      pointMarkersRadius: 2,
    });
    chartRef.current = chart;
    seriesRef.current = series;
    markersRef.current = createSeriesMarkers(series, []);
    const stop = followContainerWidth(chart, width, HEIGHT);
    return () => {
      chartRef.current = null;
      seriesRef.current = null;
      markersRef.current = null;
      stop();
    };
  }, []);

  useEffect(() => {
    chartRef.current?.applyOptions(themeOptions());
    seriesRef.current?.applyOptions({ color: cssVar("--border-strong") || "#999" });
  }, [resolved]);

  useEffect(() => {
    const chart = chartRef.current;
    const series = seriesRef.current;
    const markers = markersRef.current;
    if (!chart || !series || !markers) return;
    const sorted = [...fills]
      .map((f) => ({ f, t: chartTime(f.executed_at), price: Number(f.price) }))
      .filter((x) => Number.isFinite(x.t) && Number.isFinite(x.price))
      .sort((a, b) => a.t - b.t);
    // The line needs strictly increasing times: fills in the same second share one point (the last price).
    const line: { time: UTCTimestamp; value: number }[] = [];
    for (const x of sorted) {
      const last = line[line.length - 1];
      if (last && x.t <= last.time) last.value = x.price;
      else line.push({ time: x.t, value: x.price });
    }
    series.setData(line);
    const pos = cssVar("--pos") || "#16a34a";
    const neg = cssVar("--neg") || "#dc2626";
    const ms: SeriesMarker<Time>[] = sorted.map(({ f, t, price }) =>
      f.side === "buy"
        ? { time: t, position: "atPriceBottom", price, shape: "arrowUp", color: pos, text: `B ${formatDecimal(f.quantity)} @ ${formatDecimal(f.price, 2, 4)}` }
        : { time: t, position: "atPriceTop", price, shape: "arrowDown", color: neg, text: `S ${formatDecimal(f.quantity)} @ ${formatDecimal(f.price, 2, 4)}` },
    );
    markers.setMarkers(ms);
    const stop = plannedStop != null ? Number(plannedStop) : NaN;
    const lines = Number.isFinite(stop)
      ? [series.createPriceLine({ price: stop, color: neg, lineWidth: 1, lineStyle: LineStyle.Dotted, axisLabelVisible: true, title: "stop" })]
      : [];
    chart.timeScale().fitContent();
    return () => lines.forEach((l) => series.removePriceLine(l));
  }, [fills, plannedStop, resolved]);

  return (
    <div className="chart-box">
      <div ref={boxRef} className="chart-canvas" style={{ height: HEIGHT }} data-testid="fill-chart" data-fills={fills.length} />
      {fills.length === 0 && <div className="chart-empty">No fills.</div>}
    </div>
  );
}
