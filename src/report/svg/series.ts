// Line series: point normalisation, consistent styling, and drawing into a plot area.
// Shared by the single line chart and the small-multiples grid.

import { escapeXml } from '../../util/escape.js';
import { el, num } from './doc.js';
import type { LegendItem } from './legend.js';
import { dashArray, marker, type MarkerShape } from './marks.js';
import { categoricalColor } from './palette.js';
import type { Scale } from './scale.js';

/** A point as a tuple or an object; NaN / missing values break the line there. */
export type XY = readonly [number, number] | { readonly x: number; readonly y: number };

export interface LineSeries {
  name: string;
  points: readonly XY[];
  /** CSS colour; by default series are coloured by name, in order of first appearance. */
  color?: string;
  /** true for the standard dash (e.g. a baseline), or an explicit dasharray like "2 3". */
  dashed?: boolean | string;
  /** Draw a marker at each point; true means a circle. */
  markers?: boolean | MarkerShape;
  strokeWidth?: number;
  /** A shaded band around the line, [x, low, high] per point (e.g. mean ± std over seeds). */
  band?: readonly (readonly [number, number, number])[];
}

export interface ResolvedSeries {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
  readonly color: string;
  readonly dashed: boolean | string;
  readonly marker: MarkerShape | undefined;
  readonly strokeWidth: number;
  readonly band: readonly (readonly [number, number, number])[];
}

export function xyOf(p: XY): [number, number] {
  return 'x' in p ? [p.x, p.y] : [p[0], p[1]];
}

/**
 * Fills in default colours so that a series name has the same colour everywhere (across the
 * panels of a small-multiples figure too): colours are handed out by name, first come first.
 */
export function resolveSeries(all: readonly (readonly LineSeries[])[]): ResolvedSeries[][] {
  const byName = new Map<string, string>();
  for (const panel of all) {
    for (const s of panel) {
      if (!byName.has(s.name)) byName.set(s.name, s.color ?? categoricalColor(byName.size));
    }
  }
  return all.map((panel) => panel.map((s) => ({
    name: s.name,
    points: s.points.map(xyOf),
    color: s.color ?? byName.get(s.name) ?? categoricalColor(0),
    dashed: s.dashed ?? false,
    marker: s.markers === true ? 'circle' : s.markers === false ? undefined : s.markers,
    strokeWidth: s.strokeWidth ?? 2,
    band: s.band ?? [],
  })));
}

/** One legend entry per distinct name + style, in order of appearance; unnamed series skipped. */
export function seriesLegend(all: readonly ResolvedSeries[]): LegendItem[] {
  const seen = new Set<string>();
  const items: LegendItem[] = [];
  for (const s of all) {
    const key = `${s.name}\u0000${s.color}\u0000${String(s.dashed)}\u0000${s.marker ?? ''}`;
    if (s.name === '' || seen.has(key)) continue;
    seen.add(key);
    const item: LegendItem = { label: s.name, color: s.color, kind: 'line', dashed: s.dashed };
    items.push(s.marker ? { ...item, marker: s.marker } : item);
  }
  return items;
}

/** Every placeable coordinate, for resolving shared axis domains. */
export function coordinates(all: readonly ResolvedSeries[], axis: 0 | 1): number[] {
  return all.flatMap((s) => [...s.points.map((p) => p[axis]), ...s.band.flatMap((b) => (axis === 0 ? [b[0]] : [b[1], b[2]]))]);
}

/** Whether anything at all can be drawn. */
export function hasDrawable(all: readonly ResolvedSeries[], xs: { accepts(v: number): boolean }, ys: { accepts(v: number): boolean }): boolean {
  return all.some((s) => s.points.some(([x, y]) => xs.accepts(x) && ys.accepts(y)));
}

/** The maximal runs of consecutive items that `ok` accepts (missing data splits a line or band). */
function placeableRuns<T>(items: readonly T[], ok: (item: T) => boolean): T[][] {
  const runs: T[][] = [[]];
  for (const item of items) {
    if (ok(item)) runs[runs.length - 1]?.push(item);
    else if ((runs[runs.length - 1]?.length ?? 0) > 0) runs.push([]);
  }
  return runs;
}

/** Paths and markers of all series, clipped to the plot area. */
export function drawSeries(all: readonly ResolvedSeries[], xs: Scale, ys: Scale, clipId: string): string {
  const parts: string[] = [];
  // Bands first, under every line: one polygon per run of placeable points (upper edge, then lower back).
  for (const s of all) {
    for (const run of placeableRuns(s.band, (b) => xs.accepts(b[0]) && ys.accepts(b[1]) && ys.accepts(b[2]))) {
      if (run.length < 2) continue;
      const edge = [...run.map((b) => [xs.px(b[0]), ys.px(b[2])]), ...[...run].reverse().map((b) => [xs.px(b[0]), ys.px(b[1])])];
      const d = `${edge.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${num(x as number)} ${num(y as number)}`).join('')}Z`;
      parts.push(el('path', { d, fill: s.color, 'fill-opacity': 0.18, stroke: 'none' }, el('title', {}, escapeXml(`${s.name}: ± 1 std`))));
    }
  }
  for (const s of all) {
    // Split at unplaceable points so missing data shows as a gap, not a misleading bridge.
    const runs = placeableRuns(s.points, ([x, y]) => xs.accepts(x) && ys.accepts(y)).map((run) => run.map(([x, y]): [number, number] => [xs.px(x), ys.px(y)]));
    let d = '';
    const lonely: [number, number][] = [];
    for (const run of runs) {
      if (run.length === 1 && run[0]) lonely.push(run[0]);
      if (run.length < 2) continue;
      d += run.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${num(x)} ${num(y)}`).join('');
    }
    const title = el('title', {}, escapeXml(s.name));
    if (d) {
      parts.push(el('path', { d, fill: 'none', stroke: s.color, 'stroke-width': s.strokeWidth,
        'stroke-dasharray': dashArray(s.dashed), 'stroke-linejoin': 'round', 'stroke-linecap': 'round' }, title));
    }
    // A point with no neighbour would be invisible as a line, so it always gets a marker.
    const markAt = s.marker ? runs.flat() : lonely;
    const shape = s.marker ?? 'circle';
    for (const [x, y] of markAt) parts.push(marker(shape, x, y, 3, { fill: s.color, stroke: '#ffffff', strokeWidth: 0.75 }));
  }
  return el('g', { 'clip-path': `url(#${clipId})` }, parts.join(''));
}
