// Low-level SVG writing: coordinates, attributes, text, and the standalone document wrapper.
// Styling is done with presentation attributes, not a <style> block, because several charts
// are inlined into one HTML page and a <style> inside one SVG would restyle all the others.

import { escapeXml } from '../../util/escape.js';
import { AXIS, MUTED_TEXT } from './palette.js';

/** Local system fonts only: a standalone file must not fetch anything. */
export const FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

/**
 * A coordinate as written into the file: 2 decimals is sub-pixel and keeps files small.
 * Non-finite values are a bug in the caller (data is filtered earlier); failing loudly here
 * is what guarantees "NaN" never reaches a chart.
 */
export function num(v: number): string {
  if (!Number.isFinite(v)) throw new RangeError(`non-finite SVG coordinate: ${v}`);
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

export type AttrValue = string | number | undefined;

/** ` a="1" b="x"`; undefined values are skipped, numbers go through num(). */
export function attrs(a: Readonly<Record<string, AttrValue>>): string {
  let out = '';
  for (const [k, v] of Object.entries(a)) {
    if (v === undefined) continue;
    out += ` ${k}="${typeof v === 'number' ? num(v) : escapeXml(v)}"`;
  }
  return out;
}

/** One element; `children` is raw (already escaped) markup; no children -> self-closing. */
export function el(tag: string, a: Readonly<Record<string, AttrValue>>, children?: string): string {
  return children === undefined ? `<${tag}${attrs(a)}/>` : `<${tag}${attrs(a)}>${children}</${tag}>`;
}

export interface TextStyle {
  size?: number;
  anchor?: 'start' | 'middle' | 'end';
  weight?: 'normal' | 'bold';
  color?: string;
  /** Rotation in degrees about the anchor point. */
  rotate?: number;
  /** Vertical alignment: 'middle' centres the text on y, 'hanging' puts its top at y. */
  baseline?: 'auto' | 'middle' | 'hanging';
}

/** Text at (x, y); the content is escaped here. */
export function text(x: number, y: number, content: string, s: TextStyle = {}): string {
  const size = s.size ?? 12;
  // dominant-baseline is not honoured everywhere, so shift y by hand to centre text.
  const dy = s.baseline === 'middle' ? size * 0.35 : s.baseline === 'hanging' ? size * 0.8 : 0;
  const rotated = s.rotate !== undefined && s.rotate !== 0;
  return el('text', {
    x: rotated ? 0 : x,
    y: rotated ? 0 : y + dy,
    transform: rotated ? `translate(${num(x)},${num(y)}) rotate(${num(s.rotate ?? 0)})` : undefined,
    'font-size': size,
    'text-anchor': s.anchor ?? 'start',
    'font-weight': s.weight === 'bold' ? 'bold' : undefined,
    fill: s.color ?? AXIS,
  }, escapeXml(content));
}

/** Rough rendered width: layout needs it before any renderer has measured anything. */
export function textWidth(content: string, size = 12): number {
  return [...content].length * size * 0.6;
}

/** Deterministic short id (FNV-1a) so ids inside inlined SVGs do not collide across charts. */
export function stableId(prefix: string, content: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < content.length; i++) h = Math.imul(h ^ content.charCodeAt(i), 0x01000193) >>> 0;
  return `${prefix}-${h.toString(36)}`;
}

/** Options every chart takes. */
export interface ChartBase {
  title?: string;
  /** Whole-image size in pixels. */
  width?: number;
  height?: number;
}

export interface DocOptions {
  width: number;
  height: number;
  /** Becomes the SVG <title>: shown as a tooltip and read by screen readers. */
  title?: string;
}

/** A complete standalone SVG document with a white background. */
export function svgDocument(o: DocOptions, body: string): string {
  const w = Math.max(1, Math.round(o.width));
  const h = Math.max(1, Math.round(o.height));
  return (
    `<svg xmlns="http://www.w3.org/2000/svg"${attrs({ width: w, height: h, viewBox: `0 0 ${w} ${h}`,
      role: 'img', 'font-family': FONT_FAMILY })}>` +
    (o.title ? el('title', {}, escapeXml(o.title)) : '') +
    el('rect', { x: 0, y: 0, width: w, height: h, fill: '#ffffff' }) +
    body +
    '</svg>\n'
  );
}

/** The chart title, centred at the top. */
export function titleText(width: number, title: string | undefined): string {
  return title ? text(width / 2, 22, title, { size: 15, anchor: 'middle', weight: 'bold' }) : '';
}

/** What an empty chart shows instead of empty axes. */
export function noDataSvg(width: number, height: number, title?: string): string {
  const body = titleText(width, title) +
    text(width / 2, height / 2, 'no data', { size: 14, anchor: 'middle', color: MUTED_TEXT, baseline: 'middle' });
  return svgDocument(title === undefined ? { width, height } : { width, height, title }, body);
}
