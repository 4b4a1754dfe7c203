// Summary statistics behind box plots and result tables.

export interface Quartiles {
  /** Number of finite samples the statistics are computed from. */
  readonly n: number;
  readonly min: number;
  readonly q1: number;
  readonly median: number;
  readonly q3: number;
  readonly max: number;
  readonly mean: number;
  /** q3 - q1 */
  readonly iqr: number;
  /** Most extreme samples within 1.5 IQR of the box (Tukey's whiskers). */
  readonly lowerWhisker: number;
  readonly upperWhisker: number;
  /** Samples beyond the whiskers, ascending. */
  readonly outliers: readonly number[];
}

/**
 * Quantile p of ascending-sorted values by linear interpolation between order statistics
 * (Hyndman & Fan type 7, the default of R and NumPy), so numbers match what readers get
 * when they check them with either tool.
 */
export function quantileSorted(sorted: readonly number[], p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(h);
  const a = sorted[lo] ?? NaN;
  const b = sorted[Math.min(n - 1, lo + 1)] ?? a;
  return a + (h - lo) * (b - a);
}

/** Box-plot statistics of the finite values (NaN and ±Infinity are ignored); null when none. */
export function quartiles(values: Iterable<number>): Quartiles | null {
  const sorted = [...values].filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return null;
  const q1 = quantileSorted(sorted, 0.25);
  const median = quantileSorted(sorted, 0.5);
  const q3 = quantileSorted(sorted, 0.75);
  const iqr = q3 - q1;
  const lowFence = q1 - 1.5 * iqr;
  const highFence = q3 + 1.5 * iqr;
  const inside = sorted.filter((v) => v >= lowFence && v <= highFence);
  return {
    n,
    min: sorted[0] as number,
    q1,
    median,
    q3,
    max: sorted[n - 1] as number,
    mean: sorted.reduce((a, b) => a + b, 0) / n,
    iqr,
    // Whiskers stop at real samples, never at the fence itself.
    lowerWhisker: inside[0] ?? q1,
    upperWhisker: inside[inside.length - 1] ?? q3,
    outliers: sorted.filter((v) => v < lowFence || v > highFence),
  };
}
