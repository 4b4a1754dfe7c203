// A grid of line-chart panels sharing one y range (and by default one x range), with one
// legend for the whole figure. Built for plots like "one panel per search-space variant,
// one line per sparsity level, the dense baseline dashed", where the point is comparing
// panels, which only works if their axes agree.

import { clipRect, drawAxes, type Rect, xAxisLabel, yAxisLabel, yTickWidth } from './axes.js';
import { noDataSvg, stableId, svgDocument, text, titleText } from './doc.js';
import { horizontalLegend, horizontalLegendHeight } from './legend.js';
import { resolveDomain, toScale, type AxisOptions } from './scale.js';
import { coordinates, drawSeries, hasDrawable, resolveSeries, seriesLegend, type LineSeries } from './series.js';

export interface Panel {
  title: string;
  series: readonly LineSeries[];
}

export interface SmallMultiplesOptions {
  title?: string;
  panels: readonly Panel[];
  /** Panels per row (default: up to 3). */
  columns?: number;
  /** Size of each panel's plot area in pixels. */
  panelWidth?: number;
  panelHeight?: number;
  xAxis?: AxisOptions;
  yAxis?: AxisOptions;
  /** Share the x range across panels too (default true; the y range is always shared). */
  shareX?: boolean;
  legend?: boolean;
}

const GAP_X = 30;
const PANEL_TITLE = 22;
const X_TICKS = 22;
const GAP_Y = 10;

export function smallMultiples(o: SmallMultiplesOptions): string {
  const n = o.panels.length;
  const cols = Math.max(1, Math.min(n, Math.trunc(o.columns ?? Math.min(3, n))));
  const rows = Math.max(1, Math.ceil(n / cols));
  const pw = o.panelWidth ?? 220;
  const ph = o.panelHeight ?? 160;
  const resolved = resolveSeries(o.panels.map((p) => p.series));
  const everything = resolved.flat();
  const yd = resolveDomain(coordinates(everything, 1), o.yAxis);
  const sharedX = resolveDomain(coordinates(everything, 0), o.xAxis);
  const xDomains = resolved.map((s) => (o.shareX === false ? resolveDomain(coordinates(s, 0), o.xAxis) : sharedX));

  const yLabel = o.yAxis?.label;
  const xLabel = o.xAxis?.label;
  const tickW = yTickWidth(yd);
  const left = 10 + (yLabel ? 20 : 0) + tickW + 8;
  const top = o.title ? 38 : 8;
  const gridW = cols * pw + (cols - 1) * GAP_X;
  const width = left + gridW + 16;
  const rowH = PANEL_TITLE + ph + X_TICKS + GAP_Y;
  const items = o.legend === false ? [] : seriesLegend(everything);
  const legendH = items.length > 0 ? horizontalLegendHeight(items, gridW) : 0;
  const height = top + rows * rowH - GAP_Y + (xLabel ? 22 : 4) + legendH + 10;

  if (n === 0 || !hasDrawable(everything, sharedX, yd)) return noDataSvg(Math.max(width, 320), Math.max(height, 200), o.title);

  const idBase = stableId('sm', JSON.stringify([o, width, height]));
  const parts: string[] = [titleText(width, o.title)];
  o.panels.forEach((panel, i) => {
    const c = i % cols;
    const r = Math.floor(i / cols);
    const rect: Rect = { x: left + c * (pw + GAP_X), y: top + r * rowH + PANEL_TITLE, w: pw, h: ph };
    const xs = toScale(xDomains[i] ?? sharedX, rect.x, rect.x + rect.w);
    const ys = toScale(yd, rect.y + rect.h, rect.y);
    const clipId = `${idBase}-${i}`;
    parts.push(
      text(rect.x + rect.w / 2, rect.y - 8, panel.title, { size: 12, anchor: 'middle', weight: 'bold' }),
      clipRect(clipId, rect),
      // The y range is shared, so tick labels on the first column say everything.
      drawAxes(rect, xs, ys, { yTickLabels: c === 0 }),
      drawSeries(resolved[i] ?? [], xs, ys, clipId),
    );
  });
  const gridBottom = top + rows * rowH - GAP_Y;
  if (xLabel) parts.push(xAxisLabel(left + gridW / 2, gridBottom, xLabel));
  if (yLabel) {
    const gridTop = top + PANEL_TITLE;
    const cy = (gridTop + gridBottom - X_TICKS) / 2;
    parts.push(yAxisLabel(left - tickW - 19, cy, yLabel));
  }
  if (items.length > 0) parts.push(horizontalLegend(items, left + gridW / 2, gridBottom + (xLabel ? 22 : 4), gridW));
  return svgDocument(o.title === undefined ? { width, height } : { width, height, title: o.title }, parts.join(''));
}
