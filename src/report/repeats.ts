// Tables of repeated runs: per row, mean ± std over the seeds, and each row's difference from a
// reference row (the baseline, or the random search) with a two-sided Welch t-test. A difference
// "exceeds the noise" when p < 0.05; one inside one standard error of the difference is said so.
import { fmt } from './format.js';
import type { Table } from './table.js';
import { summarize, welch } from './welch.js';

export const ALPHA = 0.05;

export interface RepeatRow {
  name: string;
  label: string;
  n: number;
  mean: number | null;
  std: number | null;
  /** Against the reference row; null for the reference itself or with fewer than 2 values. */
  diff: number | null;
  se_diff: number | null;
  t: number | null;
  df: number | null;
  p: number | null;
  beyond_noise: boolean | null;
  within_one_se: boolean | null;
  values: number[];
}

/** `groups`: name -> label and values (one per seed); `reference`: the name compared against. */
export function repeatRows(groups: readonly { name: string; label: string; values: number[] }[], reference: string): RepeatRow[] {
  const ref = groups.find((g) => g.name === reference);
  return groups.map((g) => {
    const s = summarize(g.values);
    const w = ref && g !== ref ? welch(g.values, ref.values) : null;
    const sr = ref ? summarize(ref.values) : null;
    const se = w && s && sr ? Math.sqrt(s.std ** 2 / s.n + sr.std ** 2 / sr.n) : null;
    return {
      name: g.name, label: g.label, n: g.values.length, mean: s?.mean ?? null, std: s?.std ?? null,
      diff: w?.diff ?? null, se_diff: se, t: w ? w.t : null, df: w ? w.df : null, p: w ? w.p : null,
      beyond_noise: w ? w.p < ALPHA : null, within_one_se: w && se !== null ? Math.abs(w.diff) <= se : null, values: g.values,
    };
  });
}

const pct = (v: number) => (100 * v).toFixed(2);

export function repeatTable(rows: readonly RepeatRow[], o: { what: string; reference: string }): Table {
  return {
    columns: [
      { key: 'label', title: 'Run' },
      { key: 'n', title: 'Seeds' },
      { key: 'mean', title: `${o.what} (%), mean ± std`, format: (_v, r) => (typeof r.mean === 'number' ? `${pct(r.mean)} ± ${pct(r.std as number)}` : '') },
      { key: 'diff', title: `Δ vs ${o.reference} (pp)`, format: (v) => (typeof v === 'number' ? `${v >= 0 ? '+' : ''}${pct(v)}` : '') },
      { key: 'p', title: 'Welch p', format: (v) => (typeof v === 'number' ? fmt.fixed(3)(v, {}) : '') },
      { key: 'beyond_noise', title: `beyond noise (p < ${ALPHA})`, format: (v) => (v === null ? '' : v ? 'yes' : 'no') },
    ],
    rows: rows as unknown as Readonly<Record<string, unknown>>[],
  };
}

/** One paragraph in words: which differences exceed the noise, which are inside one standard error. */
export function repeatVerdict(rows: readonly RepeatRow[], reference: string): string {
  const tested = rows.filter((r) => r.p !== null);
  if (tested.length === 0) return `Fewer than two seeds per run: no difference from the ${reference} can be tested (use --repeats 2 or more).`;
  const beyond = tested.filter((r) => r.beyond_noise);
  const inside = tested.filter((r) => r.within_one_se);
  return `Two-sided Welch t-test of each run against the ${reference} (α = ${ALPHA}, ${rows[0]?.n ?? 0} seeds each). ` +
    (beyond.length === 0 ? 'No difference exceeds the noise. ' : `Beyond the noise: ${beyond.map((r) => `${r.label} (p = ${(r.p as number).toFixed(3)})`).join(', ')}. `) +
    (inside.length === 0 ? '' : `Inside one standard error of the difference: ${inside.map((r) => r.label).join(', ')}.`);
}
