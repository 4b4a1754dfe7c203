// Axis scales. Resolving the domain (range + ticks + labels) is separate from mapping to
// pixels because small multiples resolve one shared domain and then map it into many panels.

import { logTicks, niceTicks, tickFormatter, ticksWithin, type Ticks } from './ticks.js';

export interface AxisOptions {
  label?: string;
  /** Fixed lower / upper limit; otherwise the data range widened to nice ticks. */
  min?: number;
  max?: number;
  /** Logarithmic axis; values <= 0 cannot be placed and are left out. */
  log?: boolean;
  /** Target number of tick intervals (default 5). */
  ticks?: number;
  /** Tick label formatter; the default picks decimals from the tick step. */
  format?: (v: number) => string;
  /** Stretch the range to include 0 (bar-like quantities such as parameter counts). */
  includeZero?: boolean;
}

export interface Domain {
  readonly min: number;
  readonly max: number;
  readonly log: boolean;
  readonly ticks: readonly number[];
  format(v: number): string;
  /** Whether v can be placed on this axis at all (finite, and > 0 on a log axis). */
  accepts(v: number): boolean;
}

export interface Scale extends Domain {
  /** Pixel position of a value. */
  px(v: number): number;
}

const given = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v);

export function resolveDomain(values: Iterable<number>, o: AxisOptions = {}): Domain {
  const log = o.log === true;
  const accepts = (v: number): boolean => Number.isFinite(v) && (!log || v > 0);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!accepts(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (o.includeZero && !log) {
    lo = Math.min(lo, 0);
    hi = Math.max(hi, 0);
  }
  const count = o.ticks ?? 5;
  const minGiven = given(o.min) && accepts(o.min);
  const maxGiven = given(o.max) && accepts(o.max);
  if (minGiven) lo = o.min as number;
  if (maxGiven) hi = o.max as number;
  let t: Ticks;
  if (log) {
    t = logTicks(lo, hi);
    if (minGiven || maxGiven) {
      const a = minGiven ? lo : t.min;
      const b = maxGiven ? hi : t.max;
      t = { ...t, min: a, max: b, values: t.values.filter((v) => v >= a * (1 - 1e-9) && v <= b * (1 + 1e-9)) };
    }
  } else if (minGiven && maxGiven) {
    t = ticksWithin(lo, hi, count);
  } else {
    t = niceTicks(lo, hi, count);
    if (minGiven) t = { ...t, min: lo, values: t.values.filter((v) => v >= lo) };
    if (maxGiven) t = { ...t, max: hi, values: t.values.filter((v) => v <= hi) };
  }
  const format = o.format ?? tickFormatter(t, log);
  return { min: t.min, max: t.max, log, ticks: t.values, format, accepts };
}

/** Maps a domain onto pixels [from, to]; `to` may be smaller (y axes grow upwards). */
export function toScale(d: Domain, from: number, to: number): Scale {
  const f = d.log ? Math.log10 : (v: number) => v;
  const a = f(d.min);
  const span = f(d.max) - a || 1;
  return { ...d, px: (v) => from + ((f(v) - a) / span) * (to - from) };
}
