// Table 1 of the LNAS paper, from a sweep's runs: per run, the best accuracy up to epoch E/2 and
// up to epoch E (the seed's Table 1 caption: "highest validation accuracy ... up until the stated
// epoch"), real dense and effective MACs, parameters left, and search and training times. A run
// is a winning ticket at an epoch when its accuracy is at least the baseline's at that epoch.
import { fmt } from '../format.js';
import type { Column, Table } from '../table.js';
import type { RunData, TrainResult } from './load.js';

export interface Table1Options {
  epochs: number;
  half: number;
  metric: 'val' | 'test';
  /** Variant 1 is the baseline's own network, unpruned, up to this epoch: no ticket to judge yet. */
  denseUntil?: number;
}

export interface Table1Row {
  run: string;
  variant: string;
  sparsity: number | null;
  acc_half: number | null;
  acc_full: number | null;
  win_half: boolean;
  win_full: boolean;
  dense_macs: number | null;
  effective_macs: number | null;
  parameters: number | null;
  nonzero_parameters: number | null;
  search_seconds: number | null;
  train_seconds: number | null;
  [key: string]: unknown;
}

export const VARIANT_LABEL: Readonly<Record<RunData['variant'], string>> = {
  baseline: 'baseline (DARTS)', v1: '1 (weight pruning)', v2: '2 (α pruning)', alg3: 'Alg. 3 (α + weights)',
};
const ORDER: readonly RunData['variant'][] = ['baseline', 'v1', 'v2', 'alg3'];

/** Best value of `metric` over the epochs 1..upTo; null when the run has not reached upTo. */
export function bestUpTo(history: TrainResult['history'], metric: 'val' | 'test', upTo: number): number | null {
  const key = metric === 'val' ? 'val_acc' : 'test_acc';
  const seen = history.filter((m) => m.epoch <= upTo);
  if (upTo < 1 || !seen.some((m) => m.epoch === upTo)) return null;
  const values = seen.map((m) => m[key]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return values.length ? Math.max(...values) : null;
}

const wins = (acc: number | null, base: number | null) => acc !== null && base !== null && acc >= base;

export function table1Rows(runs: readonly RunData[], o: Table1Options): Table1Row[] {
  const row = (r: RunData): Table1Row => ({
    run: r.name, variant: VARIANT_LABEL[r.variant], sparsity: r.sparsity,
    acc_half: r.train ? bestUpTo(r.train.history, o.metric, o.half) : null,
    acc_full: r.train ? bestUpTo(r.train.history, o.metric, o.epochs) : null,
    win_half: false, win_full: false,
    dense_macs: r.train?.dense_macs ?? null, effective_macs: r.train?.effective_macs ?? null,
    parameters: r.train?.parameters ?? null, nonzero_parameters: r.train?.nonzero_parameters ?? null,
    search_seconds: r.search?.search_seconds ?? null, train_seconds: r.train?.train_seconds ?? null,
  });
  const sorted = [...runs].sort((a, b) => ORDER.indexOf(a.variant) - ORDER.indexOf(b.variant) || (a.sparsity ?? 0) - (b.sparsity ?? 0));
  const rows = sorted.map(row);
  const base = rows.find((r) => r.run === 'baseline' || r.variant === VARIANT_LABEL.baseline);
  const v1 = VARIANT_LABEL.v1;
  const pruned = (r: Table1Row, epoch: number) => r.variant !== v1 || epoch > (o.denseUntil ?? 0);
  for (const r of rows) {
    if (r === base || !base) continue;
    r.win_half = pruned(r, o.half) && wins(r.acc_half, base.acc_half);
    r.win_full = pruned(r, o.epochs) && wins(r.acc_full, base.acc_full);
  }
  return rows;
}

const pct = fmt.fixed(2);
const si = fmt.si(4);
const secs = fmt.fixed(0);

/** `mark` decorates a winning accuracy: bold in Markdown, a star where markup is not rendered. */
export function table1(rows: readonly Table1Row[], o: Table1Options, mark: 'bold' | 'star'): Table {
  const acc = (win: 'win_half' | 'win_full') => (v: unknown, row: Readonly<Record<string, unknown>>) => {
    if (typeof v !== 'number') return '';
    const text = pct(100 * v, row);
    if (!row[win]) return text;
    return mark === 'bold' ? `**${text}**` : `${text} ★`;
  };
  const split = o.metric === 'val' ? 'val' : 'test';
  const columns: Column[] = [
    { key: 'variant', title: 'Variant' },
    { key: 'sparsity', title: 'Sparsity', format: (v) => (typeof v === 'number' ? String(v) : 'N/A'), align: 'right' },
    { key: 'acc_half', title: `Best ${split} acc ≤ epoch ${o.half} (%)`, format: acc('win_half'), align: 'right' },
    { key: 'acc_full', title: `Best ${split} acc ≤ epoch ${o.epochs} (%)`, format: acc('win_full'), align: 'right' },
    { key: 'dense_macs', title: 'Dense FLOPs (MACs)', format: si, align: 'right' },
    { key: 'effective_macs', title: 'Effective FLOPs (MACs)', format: si, align: 'right' },
    { key: 'nonzero_parameters', title: 'Parameters remaining', format: fmt.int(), align: 'right' },
    { key: 'search_seconds', title: 'Search (s)', format: secs, align: 'right' },
    { key: 'train_seconds', title: 'Training (s)', format: secs, align: 'right' },
  ];
  return { columns, rows };
}

/** Machine-readable form: raw values (accuracies as fractions) and the winning-ticket flags. */
export function table1Raw(rows: readonly Table1Row[]): Table {
  const keys = ['run', 'variant', 'sparsity', 'acc_half', 'acc_full', 'win_half', 'win_full', 'dense_macs', 'effective_macs',
    'parameters', 'nonzero_parameters', 'search_seconds', 'train_seconds'];
  return { columns: keys.map((key) => ({ key, title: key })), rows };
}

export function table1Caption(o: Table1Options, mark: 'bold' | 'star'): string {
  const split = o.metric === 'val'
    ? 'the retraining\'s held-out validation split (--val-size)'
    : 'the test set (the retraining had no validation split: --val-size 0)';
  return `Table 1. Best accuracy on ${split} up to epoch ${o.half} and up to epoch ${o.epochs} of the retraining. ` +
    `Winning tickets (accuracy at least the baseline's at the same epoch) are ${mark === 'bold' ? 'in bold' : 'marked ★'}. ` +
    (o.denseUntil ? `Variant 1 trains the baseline's own network, unpruned and with the same seed, until its weights are pruned after epoch ${o.denseUntil}, so up to that epoch it matches the baseline and is not marked. ` : '') +
    'FLOPs are multiply-accumulates of one input image through the conv and linear layers: dense counts every weight, ' +
    'effective only the non-zero ones. Variant 1 runs share the baseline\'s search, so they show its search time.';
}
