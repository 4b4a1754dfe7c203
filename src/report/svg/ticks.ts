// "Nice" axis ticks: steps of 1, 2, 2.5 or 5 times a power of ten, with the axis range
// widened to whole steps so the data never touches an unlabelled edge. Log axes get one
// tick per decade (plus 2x and 5x when there are few decades, so they are not bare).

import { decimalsFor, formatFixed, formatSi, siPrefixFor } from '../format.js';

export interface Ticks {
  /** Axis range, widened to include every value. */
  readonly min: number;
  readonly max: number;
  /** Distance between linear ticks (0 for log ticks). */
  readonly step: number;
  readonly values: readonly number[];
}

const NICE_FACTORS = [1, 2, 2.5, 5, 10];

/** Smallest nice step that splits `span` into at most about `count` intervals. */
export function niceStep(span: number, count: number): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const factor = NICE_FACTORS.find((f) => f * magnitude >= raw * (1 - 1e-9)) ?? 10;
  return factor * magnitude;
}

/** Returns a finite lo < hi, whatever the input (empty data, one value, NaN bounds). */
function usableRange(lo: number, hi: number): [number, number] {
  if (!Number.isFinite(lo) && !Number.isFinite(hi)) return [0, 1];
  const a = Number.isFinite(lo) ? lo : hi;
  const b = Number.isFinite(hi) ? hi : a;
  let [min, max] = a <= b ? [a, b] : [b, a];
  if (min === max) {
    // A flat series still needs a visible band around it.
    const pad = min === 0 ? 1 : Math.abs(min) * 0.05;
    min -= pad;
    max += pad;
  }
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  return [min, max];
}

/** Rounds away binary noise so 0.1 + 0.2 ticks print as 0.3. */
function clean(v: number, decimals: number): number {
  const r = Number(v.toFixed(Math.min(20, decimals + 2)));
  return Object.is(r, -0) ? 0 : r;
}

/** Nice linear ticks covering [lo, hi] with about `count` intervals. */
export function niceTicks(lo: number, hi: number, count = 5): Ticks {
  const [a, b] = usableRange(lo, hi);
  const step = niceStep(b - a, count);
  const decimals = decimalsFor(step);
  // The epsilon keeps 0.3 / 0.1 = 2.9999999999999996 from adding a whole extra step.
  const first = Math.floor(a / step + 1e-9);
  const last = Math.ceil(b / step - 1e-9);
  const values: number[] = [];
  for (let i = first; i <= last; i++) values.push(clean(i * step, decimals));
  return { min: values[0] ?? a, max: values[values.length - 1] ?? b, step, values };
}

/** Ticks inside a fixed [lo, hi] (user-set axis limits): the range itself is not widened. */
export function ticksWithin(lo: number, hi: number, count = 5): Ticks {
  const [a, b] = usableRange(lo, hi);
  const nice = niceTicks(a, b, count);
  const eps = nice.step * 1e-9;
  return { min: a, max: b, step: nice.step, values: nice.values.filter((v) => v >= a - eps && v <= b + eps) };
}

/** Decade ticks for a log axis; `lo` and `hi` must be > 0 (otherwise 1..10 is used). */
export function logTicks(lo: number, hi: number): Ticks {
  const ok = lo > 0 && hi > 0 && Number.isFinite(lo) && Number.isFinite(hi);
  const [a, b] = ok ? (lo <= hi ? [lo, hi] : [hi, lo]) : [1, 10];
  const e0 = Math.floor(Math.log10(a) + 1e-9);
  let e1 = Math.ceil(Math.log10(b) - 1e-9);
  if (e1 <= e0) e1 = e0 + 1;
  const decades = e1 - e0;
  const multiples = decades <= 2 ? [1, 2, 5] : [1];
  // Many decades: label every k-th one, and end the axis on a labelled decade.
  const stride = Math.ceil(decades / 8);
  e1 = e0 + Math.ceil(decades / stride) * stride;
  const values: number[] = [];
  for (let e = e0; e <= e1; e += multiples.length > 1 ? 1 : stride) {
    for (const m of multiples) {
      const v = Number((m * 10 ** e).toPrecision(12));
      if (e === e1 && m > 1) break;
      values.push(v);
    }
  }
  return { min: 10 ** e0, max: 10 ** e1, step: 0, values };
}

/** A label formatter suited to a set of ticks: same decimals for all, SI above 10k. */
export function tickFormatter(ticks: Ticks, log: boolean): (v: number) => string {
  if (log) return (v) => formatSi(v, 3);
  const biggest = Math.max(0, ...ticks.values.map(Math.abs));
  if (biggest >= 1e4) {
    const [scale, suffix] = siPrefixFor(biggest);
    const d = decimalsFor(ticks.step / scale);
    return (v) => (v === 0 ? '0' : formatFixed(v / scale, d) + suffix);
  }
  if (biggest > 0 && biggest < 1e-3) return (v) => (v === 0 ? '0' : v.toExponential(1));
  const d = decimalsFor(ticks.step);
  return (v) => formatFixed(v, d);
}
