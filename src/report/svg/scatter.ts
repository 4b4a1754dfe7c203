// Scatter plot with points coloured by group (e.g. the generation an architecture was born
// in), an optional log x axis (parameter counts, FLOPs) and an optional Pareto-front overlay.

import { escapeXml } from '../../util/escape.js';
import { formatNumber } from '../format.js';
import { paretoFront, type ParetoOptions } from '../pareto.js';
import { clipRect, drawAxes, plotRect, yTickWidth } from './axes.js';
import { el, noDataSvg, num, stableId, svgDocument, text, titleText, type ChartBase } from './doc.js';
import { legendWidth, verticalLegend, type LegendItem } from './legend.js';
import { marker } from './marks.js';
import { categoricalColor, colorMap, MUTED_TEXT } from './palette.js';
import { resolveDomain, toScale, type AxisOptions, type Scale } from './scale.js';

export { paretoFront, type ParetoOptions } from '../pareto.js';

export interface ScatterPoint {
  x: number;
  y: number;
  group?: string | number;
  /** Shown as a tooltip with the coordinates. */
  label?: string;
}

export interface ScatterOptions extends ChartBase {
  points: readonly ScatterPoint[];
  xAxis?: AxisOptions;
  yAxis?: AxisOptions;
  /** Overlay the Pareto front; true means maximise y, minimise x. */
  pareto?: boolean | ParetoOptions;
  /** Legend text for a group key, e.g. (g) => `generation ${g}`. */
  groupLabel?: (group: string) => string;
  /**
   * 'sequential' suits ordered groups (generations), 'categorical' unordered ones. Default:
   * sequential when every group key is a number.
   */
  colors?: 'sequential' | 'categorical';
  pointRadius?: number;
  legend?: boolean;
}

/** Group keys in display order: numeric keys sorted numerically, others by first appearance. */
function groupOrder(points: readonly ScatterPoint[]): { keys: string[]; numeric: boolean } {
  const keys = [...new Set(points.map((p) => String(p.group ?? '')))];
  const numeric = keys.every((k) => k !== '' && Number.isFinite(Number(k)));
  return { keys: numeric ? keys.sort((a, b) => Number(a) - Number(b)) : keys, numeric };
}

/** Staircase through front points: each step turns at the corner both neighbours dominate. */
function frontPath(front: readonly ScatterPoint[], xs: Scale, ys: Scale, o: ParetoOptions): string {
  let d = '';
  front.forEach((p, i) => {
    const prev = front[i - 1];
    if (prev === undefined) {
      d += `M${num(xs.px(p.x))} ${num(ys.px(p.y))}`;
      return;
    }
    const cornerX = o.minimizeX === false ? Math.min(prev.x, p.x) : Math.max(prev.x, p.x);
    const cornerY = o.maximizeY === false ? Math.max(prev.y, p.y) : Math.min(prev.y, p.y);
    d += `L${num(xs.px(cornerX))} ${num(ys.px(cornerY))}L${num(xs.px(p.x))} ${num(ys.px(p.y))}`;
  });
  return d;
}

export function scatterChart(o: ScatterOptions): string {
  const width = o.width ?? 640;
  const height = o.height ?? 420;
  const xd = resolveDomain(o.points.map((p) => p.x), o.xAxis);
  const yd = resolveDomain(o.points.map((p) => p.y), o.yAxis);
  const visible = o.points.filter((p) => xd.accepts(p.x) && yd.accepts(p.y));
  if (visible.length === 0) return noDataSvg(width, height, o.title);
  const hidden = o.points.length - visible.length;

  const { keys, numeric } = groupOrder(visible);
  const colors = colorMap(keys, o.colors ?? (numeric && keys.length > 1 ? 'sequential' : 'categorical'));
  const label = o.groupLabel ?? ((g: string) => g);
  const paretoOpts: ParetoOptions | undefined = o.pareto === true ? {} : o.pareto === false ? undefined : o.pareto;
  const items: LegendItem[] = o.legend === false ? [] : [
    ...(keys.length > 1 || keys[0] !== '' ? keys.map((k) => ({ label: label(k), color: colors.get(k) ?? '#000', kind: 'point' as const })) : []),
    ...(paretoOpts ? [{ label: 'Pareto front', color: '#000000', kind: 'line' as const }] : []),
  ];
  const r = plotRect({ width, height, title: o.title, xLabel: o.xAxis?.label, yLabel: o.yAxis?.label,
    yTickWidth: yTickWidth(yd), right: legendWidth(items), bottom: hidden > 0 ? 14 : 0 });
  const xs = toScale(xd, r.x, r.x + r.w);
  const ys = toScale(yd, r.y + r.h, r.y);
  const clipId = stableId('sc', JSON.stringify([o, width, height]));
  const radius = o.pointRadius ?? 3.5;

  const dots: string[] = [];
  // Draw group by group so later (e.g. newer-generation) points end up on top.
  for (const k of keys) {
    const color = colors.get(k) ?? categoricalColor(0);
    for (const p of visible) {
      if (String(p.group ?? '') !== k) continue;
      const tip = `${p.label ? p.label + ': ' : ''}(${formatNumber(p.x)}, ${formatNumber(p.y)})`;
      dots.push(marker('circle', xs.px(p.x), ys.px(p.y), radius, { fill: color, stroke: '#ffffff', strokeWidth: 0.75, opacity: 0.8 },
        el('title', {}, escapeXml(tip))));
    }
  }
  if (paretoOpts) {
    const front = paretoFront(visible, paretoOpts);
    dots.push(el('path', { d: frontPath(front, xs, ys, paretoOpts), fill: 'none', stroke: '#000000', 'stroke-width': 1.5, 'stroke-linejoin': 'round' }));
    for (const p of front) dots.push(el('circle', { cx: xs.px(p.x), cy: ys.px(p.y), r: radius + 1.5, fill: 'none', stroke: '#000000', 'stroke-width': 1.5 }));
  }
  const parts = [
    titleText(width, o.title),
    clipRect(clipId, r),
    drawAxes(r, xs, ys, { xLabel: o.xAxis?.label, yLabel: o.yAxis?.label }),
    el('g', { 'clip-path': `url(#${clipId})` }, dots.join('')),
    items.length > 0 ? verticalLegend(items, r.x + r.w + 10, r.y) : '',
  ];
  if (hidden > 0) {
    // Say so rather than silently dropping data the axes cannot show.
    const why = o.xAxis?.log || o.yAxis?.log ? 'missing, or \u2264 0 on a log axis' : 'missing values';
    parts.push(text(width - 8, height - 8, `${hidden} point${hidden === 1 ? '' : 's'} not shown (${why})`,
      { size: 10, anchor: 'end', color: MUTED_TEXT }));
  }
  return svgDocument(o.title === undefined ? { width, height } : { width, height, title: o.title }, parts.join(''));
}
