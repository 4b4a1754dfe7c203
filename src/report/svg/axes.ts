// Axes, grid, axis labels and the plot-area layout shared by every chart type.

import { el, num, text, textWidth } from './doc.js';
import { AXIS, GRID } from './palette.js';
import type { Domain, Scale } from './scale.js';

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export const TICK_FONT = 11;
export const LABEL_FONT = 12;

/** Width the y tick labels of a domain need. */
export function yTickWidth(d: Domain): number {
  return Math.max(0, ...d.ticks.map((t) => textWidth(d.format(t), TICK_FONT)));
}

export interface LayoutOptions {
  width: number;
  height: number;
  title?: string | undefined;
  xLabel?: string | undefined;
  yLabel?: string | undefined;
  yTickWidth: number;
  /** Space reserved right of the plot (legend). */
  right?: number;
  /** Extra space reserved under the x tick labels (second label line, legend). */
  bottom?: number;
}

/** The plot rectangle left after title, tick labels, axis labels and legend take their space. */
export function plotRect(o: LayoutOptions): Rect {
  const top = o.title ? 38 : 14;
  const left = 10 + (o.yLabel ? 20 : 0) + o.yTickWidth + 8;
  const bottom = 24 + (o.xLabel ? 20 : 0) + (o.bottom ?? 0) + 6;
  const right = 16 + (o.right ?? 0);
  return { x: left, y: top, w: Math.max(20, o.width - left - right), h: Math.max(20, o.height - top - bottom) };
}

export interface AxesOptions {
  xLabel?: string | undefined;
  yLabel?: string | undefined;
  /** Draw x tick marks and labels (false when the caller labels categories itself). */
  xTicks?: boolean;
  yTickLabels?: boolean;
  grid?: boolean;
  /** Where axis labels go when they belong to a larger figure (small multiples). */
  yLabelX?: number;
}

/** Frame, grid lines, ticks, tick labels and axis labels for one plot rectangle. */
export function drawAxes(r: Rect, xs: Scale, ys: Scale, o: AxesOptions = {}): string {
  const parts: string[] = [];
  const bottom = r.y + r.h;
  if (o.grid !== false) {
    let d = '';
    for (const t of ys.ticks) d += `M${num(r.x)} ${num(ys.px(t))}H${num(r.x + r.w)}`;
    if (o.xTicks !== false) for (const t of xs.ticks) d += `M${num(xs.px(t))} ${num(r.y)}V${num(bottom)}`;
    if (d) parts.push(el('path', { d, stroke: GRID, 'stroke-width': 1, fill: 'none' }));
  }
  parts.push(el('rect', { x: r.x, y: r.y, width: r.w, height: r.h, fill: 'none', stroke: AXIS, 'stroke-width': 1 }));
  let ticks = '';
  for (const t of ys.ticks) ticks += `M${num(r.x - 4)} ${num(ys.px(t))}H${num(r.x)}`;
  if (o.xTicks !== false) for (const t of xs.ticks) ticks += `M${num(xs.px(t))} ${num(bottom)}V${num(bottom + 4)}`;
  if (ticks) parts.push(el('path', { d: ticks, stroke: AXIS, 'stroke-width': 1 }));
  if (o.yTickLabels !== false) {
    for (const t of ys.ticks) {
      parts.push(text(r.x - 7, ys.px(t), ys.format(t), { size: TICK_FONT, anchor: 'end', baseline: 'middle' }));
    }
  }
  if (o.xTicks !== false) {
    for (const t of xs.ticks) {
      parts.push(text(xs.px(t), bottom + 7, xs.format(t), { size: TICK_FONT, anchor: 'middle', baseline: 'hanging' }));
    }
  }
  if (o.xLabel) parts.push(xAxisLabel(r.x + r.w / 2, bottom + 28, o.xLabel));
  if (o.yLabel) {
    const x = o.yLabelX ?? r.x - 7 - yTickWidth(ys) - 12;
    parts.push(yAxisLabel(x, r.y + r.h / 2, o.yLabel));
  }
  return el('g', {}, parts.join(''));
}

export function xAxisLabel(cx: number, top: number, label: string): string {
  return text(cx, top, label, { size: LABEL_FONT, anchor: 'middle', baseline: 'hanging' });
}

export function yAxisLabel(x: number, cy: number, label: string): string {
  return text(x, cy, label, { size: LABEL_FONT, anchor: 'middle', rotate: -90 });
}

/**
 * A clipPath for the plot area, so data outside user-set axis limits stays inside the frame.
 * It is a few pixels larger than the frame so markers sitting on the edge are not cut in half.
 */
export function clipRect(id: string, r: Rect, pad = 5): string {
  return el('defs', {}, el('clipPath', { id },
    el('rect', { x: r.x - pad, y: r.y - pad, width: r.w + 2 * pad, height: r.h + 2 * pad })));
}
