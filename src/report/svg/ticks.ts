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

const LOG_MULTIPLES = [1, 2, 5];

/**
 * Ticks for a log axis; `lo` and `hi` must be > 0 (otherwise 1..10 is used). The range is
 * widened only to the nearest 1, 2 or 5 times a power of ten (widening to whole decades can
 * waste most of the plot); ticks are decades, plus 2x and 5x when the range is short.
 */
export function logTicks(lo: number, hi: number): Ticks {
  const ok = lo > 0 && hi > 0 && Number.isFinite(lo) && Number.isFinite(hi);
  const [a, b] = ok ? (lo <= hi ? [lo, hi] : [hi, lo]) : [1, 10];
  const e0 = Math.floor(Math.log10(a) + 1e-9);
  const e1 = Math.ceil(Math.log10(b) - 1e-9);
  const nice: number[] = [];
  for (let e = e0 - 1; e <= e1 + 1; e++) for (const m of LOG_MULTIPLES) nice.push(Number((m * 10 ** e).toPrecision(12)));
  const min = [...nice].reverse().find((v) => v <= a * (1 + 1e-9)) ?? a;
  let max = nice.find((v) => v >= b * (1 - 1e-9)) ?? b;
  if (max <= min) max = nice.find((v) => v > min) ?? min * 10;
  const span = Math.log10(max / min);
  const inRange = (v: number): boolean => v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9);
  let values: number[];
  if (span <= 2.5) {
    values = nice.filter(inRange);
  } else {
    // Many decades: label every k-th one so labels never crowd.
    const stride = Math.ceil(span / 8);
    values = nice.filter((v) => inRange(v) && v === 10 ** Math.round(Math.log10(v))
      && Math.round(Math.log10(v)) % stride === 0);
  }
  return { min, max, step: 0, values };
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
