// Legends: a vertical list right of the plot, or rows that wrap under a figure (small
// multiples, where the right edge belongs to the last panel).

import { el, num, text, textWidth } from './doc.js';
import { dashArray, marker, type MarkerShape } from './marks.js';
import { AXIS } from './palette.js';

export interface LegendItem {
  label: string;
  color: string;
  /** How the swatch is drawn: a line (optionally dashed, with a marker), a point, a box, or a capped whisker. */
  kind?: 'line' | 'point' | 'box' | 'whisker';
  dashed?: boolean | string;
  marker?: MarkerShape;
  /** Marker drawn as an outline on white, matching open symbols in the plot. */
  hollow?: boolean;
}

const FONT = 11;
const SWATCH = 22;
const ROW = 17;

function swatch(item: LegendItem, x: number, y: number): string {
  const kind = item.kind ?? 'line';
  if (kind === 'box') {
    return el('rect', { x: x + 4, y: y - 5, width: SWATCH - 8, height: 10, fill: item.color, 'fill-opacity': 0.35, stroke: item.color });
  }
  if (kind === 'whisker') {
    return el('path', { d: `M${num(x + 3)} ${num(y - 4)}v8M${num(x + 3)} ${num(y)}H${num(x + SWATCH - 3)}M${num(x + SWATCH - 3)} ${num(y - 4)}v8`,
      stroke: item.color, 'stroke-width': 1.5, fill: 'none' });
  }
  let out = '';
  if (kind === 'line') {
    out += el('line', { x1: x, y1: y, x2: x + SWATCH, y2: y, stroke: item.color, 'stroke-width': 2,
      'stroke-dasharray': dashArray(item.dashed) });
  }
  const shape = item.marker ?? (kind === 'point' ? 'circle' : undefined);
  if (shape) {
    out += marker(shape, x + SWATCH / 2, y, 3.5, item.hollow
      ? { fill: '#ffffff', stroke: item.color, strokeWidth: 1.5 }
      : { fill: item.color, stroke: '#ffffff', strokeWidth: 0.5 });
  }
  return out;
}

function itemWidth(item: LegendItem): number {
  return SWATCH + 6 + textWidth(item.label, FONT);
}

/** Width a vertical legend needs (0 when there is nothing to show). */
export function legendWidth(items: readonly LegendItem[]): number {
  return items.length === 0 ? 0 : Math.max(...items.map(itemWidth)) + 12;
}

/** Vertical legend whose top-left corner is (x, y). */
export function verticalLegend(items: readonly LegendItem[], x: number, y: number): string {
  return el('g', {}, items.map((it, i) => {
    const cy = y + i * ROW + ROW / 2;
    return swatch(it, x + 6, cy) + text(x + 6 + SWATCH + 6, cy, it.label, { size: FONT, baseline: 'middle', color: AXIS });
  }).join(''));
}

/** Splits items into rows no wider than maxWidth. */
function wrapRows(items: readonly LegendItem[], maxWidth: number): LegendItem[][] {
  const rows: LegendItem[][] = [];
  let row: LegendItem[] = [];
  let used = 0;
  for (const it of items) {
    const w = itemWidth(it) + 16;
    if (row.length > 0 && used + w > maxWidth) {
      rows.push(row);
      row = [];
      used = 0;
    }
    row.push(it);
    used += w;
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

/** Height of a horizontal legend wrapped to maxWidth. */
export function horizontalLegendHeight(items: readonly LegendItem[], maxWidth: number): number {
  return wrapRows(items, maxWidth).length * ROW;
}

/** Horizontal legend, rows centred on cx, first row's top at y. */
export function horizontalLegend(items: readonly LegendItem[], cx: number, y: number, maxWidth: number): string {
  const parts: string[] = [];
  wrapRows(items, maxWidth).forEach((row, r) => {
    const total = row.reduce((a, it) => a + itemWidth(it) + 16, -16);
    let x = cx - total / 2;
    const cy = y + r * ROW + ROW / 2;
    for (const it of row) {
      parts.push(swatch(it, x, cy) + text(x + SWATCH + 6, cy, it.label, { size: FONT, baseline: 'middle', color: AXIS }));
      x += itemWidth(it) + 16;
    }
  });
  return el('g', {}, parts.join(''));
}
