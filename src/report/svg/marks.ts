// Point markers and dash patterns. Shapes give a second, colour-independent cue for telling
// series apart (and survive greyscale printing); dashes mark reference lines like baselines.

import { el, num } from './doc.js';

export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond' | 'cross';
export const MARKER_SHAPES: readonly MarkerShape[] = ['circle', 'square', 'triangle', 'diamond', 'cross'];

export interface MarkStyle {
  fill: string;
  stroke?: string;
  strokeWidth?: number;
  opacity?: number;
}

/** A marker of radius r centred on (x, y). */
export function marker(shape: MarkerShape, x: number, y: number, r: number, s: MarkStyle, tooltip?: string): string {
  const paint = {
    fill: shape === 'cross' ? 'none' : s.fill,
    stroke: shape === 'cross' ? s.fill : s.stroke,
    'stroke-width': shape === 'cross' ? Math.max(1.5, s.strokeWidth ?? 0) : s.strokeWidth,
    'fill-opacity': s.opacity,
  };
  const child = tooltip; // already-escaped <title> markup or undefined
  switch (shape) {
    case 'circle':
      return el('circle', { cx: x, cy: y, r, ...paint }, child);
    case 'square':
      return el('rect', { x: x - r * 0.9, y: y - r * 0.9, width: r * 1.8, height: r * 1.8, ...paint }, child);
    case 'triangle':
      return el('path', { d: `M${num(x)} ${num(y - r * 1.15)}L${num(x + r)} ${num(y + r * 0.75)}L${num(x - r)} ${num(y + r * 0.75)}Z`, ...paint }, child);
    case 'diamond':
      return el('path', { d: `M${num(x)} ${num(y - r * 1.2)}L${num(x + r)} ${num(y)}L${num(x)} ${num(y + r * 1.2)}L${num(x - r)} ${num(y)}Z`, ...paint }, child);
    case 'cross':
      return el('path', { d: `M${num(x - r)} ${num(y - r)}L${num(x + r)} ${num(y + r)}M${num(x - r)} ${num(y + r)}L${num(x + r)} ${num(y - r)}`, ...paint }, child);
  }
}

/** SVG stroke-dasharray for a series' `dashed` option. */
export function dashArray(dashed: boolean | string | undefined): string | undefined {
  if (dashed === true) return '6 4';
  if (typeof dashed === 'string' && /^[\d.\s,]+$/.test(dashed)) return dashed;
  return undefined;
}
