// Mean ± std over repeats, and the two-sided Welch t-test (unequal variances) for the difference
// of two means: t = (m1 - m2) / sqrt(s1²/n1 + s2²/n2), Welch–Satterthwaite degrees of freedom,
// p from Student's t distribution through the regularized incomplete beta function (continued
// fraction, Numerical Recipes' betacf). Used by the repeats reports of sweeps and evolutions.

export interface Summary { n: number; mean: number; std: number; sem: number }

/** Mean, sample standard deviation (n - 1) and standard error; null for no values. */
export function summarize(values: readonly number[]): Summary | null {
  const n = values.length;
  if (n === 0) return null;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { n, mean, std, sem: n > 0 ? std / Math.sqrt(n) : 0 };
}

function logGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9).
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  x -= 1;
  let a = c[0] as number;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += (c[i] as number) / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

function betacf(a: number, b: number, x: number): number {
  const eps = 3e-16;
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d; if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c; if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d; h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d; if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c; if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < eps) break;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betacf(a, b, x)) / a : 1 - (front * betacf(b, a, 1 - x)) / b;
}

/** Two-sided p-value of Student's t with `df` degrees of freedom. */
export function tTwoSided(t: number, df: number): number {
  if (!Number.isFinite(t)) return 0;
  return incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

export interface WelchResult { diff: number; t: number; df: number; p: number }

/**
 * Welch's test of mean(a) - mean(b); null when either side has fewer than two values. Two sets
 * without any spread: p = 1 if the means are equal, else 0.
 */
export function welch(a: readonly number[], b: readonly number[]): WelchResult | null {
  const sa = summarize(a);
  const sb = summarize(b);
  if (!sa || !sb || sa.n < 2 || sb.n < 2) return null;
  const va = (sa.std ** 2) / sa.n;
  const vb = (sb.std ** 2) / sb.n;
  const diff = sa.mean - sb.mean;
  if (va + vb === 0) return { diff, t: diff === 0 ? 0 : Math.sign(diff) * Infinity, df: sa.n + sb.n - 2, p: diff === 0 ? 1 : 0 };
  const t = diff / Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / ((va ** 2) / (sa.n - 1) + (vb ** 2) / (sb.n - 1));
  return { diff, t, df, p: tTwoSided(t, df) };
}
