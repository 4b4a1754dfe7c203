// Line chart: several (x, y) series on one pair of axes, legend on the right.

import { clipRect, drawAxes, plotRect, yTickWidth } from './axes.js';
import { noDataSvg, stableId, svgDocument, titleText, type ChartBase } from './doc.js';
import { legendWidth, verticalLegend } from './legend.js';
import { resolveDomain, toScale, type AxisOptions } from './scale.js';
import { coordinates, drawSeries, hasDrawable, resolveSeries, seriesLegend, type LineSeries } from './series.js';

export type { LineSeries, XY } from './series.js';

export type { ChartBase } from './doc.js';

export interface LineChartOptions extends ChartBase {
  series: readonly LineSeries[];
  xAxis?: AxisOptions;
  yAxis?: AxisOptions;
  /** Show the legend (default: when at least one series has a name). */
  legend?: boolean;
}

export function lineChart(o: LineChartOptions): string {
  const width = o.width ?? 640;
  const height = o.height ?? 400;
  const series = resolveSeries([o.series])[0] ?? [];
  const xd = resolveDomain(coordinates(series, 0), o.xAxis);
  const yd = resolveDomain(coordinates(series, 1), o.yAxis);
  if (!hasDrawable(series, xd, yd)) return noDataSvg(width, height, o.title);

  const items = o.legend === false ? [] : seriesLegend(series);
  const lw = legendWidth(items);
  const r = plotRect({ width, height, title: o.title, xLabel: o.xAxis?.label, yLabel: o.yAxis?.label,
    yTickWidth: yTickWidth(yd), right: lw });
  const xs = toScale(xd, r.x, r.x + r.w);
  const ys = toScale(yd, r.y + r.h, r.y);
  // Ids come from the input, so different charts inlined into one page never share one.
  const clipId = stableId('lc', JSON.stringify([o, width, height]));
  const body =
    titleText(width, o.title) +
    clipRect(clipId, r) +
    drawAxes(r, xs, ys, { xLabel: o.xAxis?.label, yLabel: o.yAxis?.label }) +
    drawSeries(series, xs, ys, clipId) +
    (items.length > 0 ? verticalLegend(items, r.x + r.w + 10, r.y) : '');
  return svgDocument(o.title === undefined ? { width, height } : { width, height, title: o.title }, body);
}
