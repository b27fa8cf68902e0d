// Keeps a lightweight-charts chart as wide as its container: resizes on window resize and
// once more after the first paint and a moment later (fonts and scrollbars settle the
// layout late). Returns the clean-up that stops following and removes the chart.

import type { IChartApi } from "lightweight-charts";

export function followContainerWidth(chart: IChartApi, width: () => number, height: number): () => void {
  const onResize = () => chart.resize(width(), height);
  window.addEventListener("resize", onResize);
  const raf = requestAnimationFrame(onResize);
  const late = window.setTimeout(onResize, 250);
  return () => {
    cancelAnimationFrame(raf);
    window.clearTimeout(late);
    window.removeEventListener("resize", onResize);
    chart.remove();
  };
}
