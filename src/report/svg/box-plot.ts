// Box plot: one box per group of samples (e.g. the fitness of each generation's population).
// Box = Q1..Q3, bar = median, whiskers = most extreme samples within 1.5 IQR, circles beyond.

import { escapeXml } from '../../util/escape.js';
import { formatNumber } from '../format.js';
import { quartiles, type Quartiles } from '../../util/stats.js';
import { drawAxes, plotRect, TICK_FONT, yTickWidth } from './axes.js';
import { el, noDataSvg, num, svgDocument, text, titleText, type ChartBase } from './doc.js';
import { horizontalLegend, horizontalLegendHeight, type LegendItem } from './legend.js';
import { marker } from './marks.js';
import { categoricalColor, MUTED_TEXT } from './palette.js';
import { resolveDomain, toScale, type AxisOptions } from './scale.js';

export { quartiles, type Quartiles } from '../../util/stats.js';

export interface BoxGroup {
  label: string;
  values: readonly number[];
  color?: string;
}

export interface BoxPlotOptions extends ChartBase {
  groups: readonly BoxGroup[];
  /** Label under the group names, e.g. "generation". */
  xLabel?: string;
  yAxis?: AxisOptions;
  /** Overlay every sample as a jittered dot (useful for small populations). */
  showPoints?: boolean;
  /** Mark the mean with a diamond. */
  showMean?: boolean;
  /** Print "n=…" under each group label (default true). */
  showCounts?: boolean;
  /** Glyph legend under the plot (default true). */
  legend?: boolean;
}

function tooltip(label: string, q: Quartiles): string {
  const f = formatNumber;
  return el('title', {}, escapeXml(
    `${label}: n=${q.n}, median ${f(q.median)}, Q1 ${f(q.q1)}, Q3 ${f(q.q3)}, ` +
    `whiskers ${f(q.lowerWhisker)}..${f(q.upperWhisker)}, mean ${f(q.mean)}`));
}

/** Deterministic, evenly spread offsets in [-0.5, 0.5) (golden-ratio sequence), not random. */
function jitter(i: number): number {
  return ((i * 0.6180339887) % 1) - 0.5;
}

function drawBox(g: BoxGroup, q: Quartiles, cx: number, bw: number, py: (v: number) => number, o: BoxPlotOptions, index: number): string {
  const color = g.color ?? categoricalColor(0);
  const half = bw / 2;
  const parts: string[] = [];
  const whiskers =
    `M${num(cx)} ${num(py(q.q3))}V${num(py(q.upperWhisker))}M${num(cx - half / 2)} ${num(py(q.upperWhisker))}h${num(half)}` +
    `M${num(cx)} ${num(py(q.q1))}V${num(py(q.lowerWhisker))}M${num(cx - half / 2)} ${num(py(q.lowerWhisker))}h${num(half)}`;
  parts.push(el('path', { d: whiskers, stroke: color, 'stroke-width': 1.5, fill: 'none' }));
  const top = py(q.q3);
  parts.push(el('rect', { x: cx - half, y: top, width: bw, height: Math.max(1, py(q.q1) - top),
    fill: color, 'fill-opacity': 0.25, stroke: color, 'stroke-width': 1.5 }, tooltip(g.label, q)));
  parts.push(el('line', { x1: cx - half, y1: py(q.median), x2: cx + half, y2: py(q.median), stroke: color, 'stroke-width': 2.5 }));
  if (o.showPoints) {
    g.values.filter(Number.isFinite).forEach((v, i) => {
      parts.push(marker('circle', cx + jitter(i + index * 7) * bw * 0.7, py(v), 2, { fill: color, opacity: 0.55 }));
    });
  }
  for (const v of q.outliers) {
    parts.push(el('circle', { cx, cy: py(v), r: 3.5, fill: '#ffffff', stroke: color, 'stroke-width': 1.5 },
      el('title', {}, escapeXml(`${g.label}: ${formatNumber(v)}`))));
  }
  if (o.showMean) parts.push(marker('diamond', cx, py(q.mean), 4, { fill: '#ffffff', stroke: color, strokeWidth: 1.5 }));
  return el('g', {}, parts.join(''));
}

export function boxPlot(o: BoxPlotOptions): string {
  const width = o.width ?? 560;
  const height = o.height ?? 380;
  const stats = o.groups.map((g) => quartiles(g.values));
  if (stats.every((s) => s === null)) return noDataSvg(width, height, o.title);

  const yd = resolveDomain(o.groups.flatMap((g) => g.values), o.yAxis);
  const showCounts = o.showCounts !== false;
  const items: LegendItem[] = o.legend === false ? [] : [
    { label: 'Q1–Q3', color: categoricalColor(0), kind: 'box' },
    { label: 'median', color: categoricalColor(0), kind: 'line' },
    { label: 'whiskers: 1.5 IQR', color: categoricalColor(0), kind: 'whisker' },
    { label: 'outlier', color: categoricalColor(0), kind: 'point', hollow: true },
    ...(o.showMean ? [{ label: 'mean', color: categoricalColor(0), kind: 'point' as const, marker: 'diamond' as const, hollow: true }] : []),
  ];
  const legendH = items.length > 0 ? horizontalLegendHeight(items, width - 40) + 6 : 0;
  const r = plotRect({ width, height, title: o.title, xLabel: o.xLabel, yLabel: o.yAxis?.label,
    yTickWidth: yTickWidth(yd), bottom: (showCounts ? 14 : 0) + legendH });
  const band = r.w / Math.max(1, o.groups.length);
  const bw = Math.min(64, band * 0.55);
  const xs = toScale(resolveDomain([0, 1]), r.x, r.x + r.w);
  const ys = toScale(yd, r.y + r.h, r.y);
  const py = (v: number): number => Math.min(r.y + r.h, Math.max(r.y, ys.px(v)));

  const parts: string[] = [titleText(width, o.title),
    drawAxes(r, xs, ys, { xTicks: false, yLabel: o.yAxis?.label })];
  o.groups.forEach((g, i) => {
    const cx = r.x + band * (i + 0.5);
    const q = stats[i];
    if (q) parts.push(drawBox(g, q, cx, bw, py, o, i));
    parts.push(text(cx, r.y + r.h + 7, g.label, { size: TICK_FONT, anchor: 'middle', baseline: 'hanging' }));
    if (showCounts) {
      parts.push(text(cx, r.y + r.h + 21, `n=${q?.n ?? 0}`, { size: 10, anchor: 'middle', baseline: 'hanging', color: MUTED_TEXT }));
    }
  });
  const belowTicks = r.y + r.h + 24 + (showCounts ? 14 : 0);
  if (o.xLabel) parts.push(text(r.x + r.w / 2, belowTicks + 4, o.xLabel, { size: 12, anchor: 'middle', baseline: 'hanging' }));
  if (items.length > 0) parts.push(horizontalLegend(items, r.x + r.w / 2, belowTicks + (o.xLabel ? 22 : 4), width - 40));
  return svgDocument(o.title === undefined ? { width, height } : { width, height, title: o.title }, parts.join(''));
}
