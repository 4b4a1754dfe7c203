// The MENAS tables: one row per generation (the paper's claim is that mean model size and epoch
// time shrink as tickets become parents), the comparison with random search at the same budget
// (Table 3's shape), and the BatchNorm effect over every explored ticket.
import type { CandidateRecord } from '../../search/menas/files.js';
import { fmt } from '../format.js';
import type { Table } from '../table.js';
import type { LoadedEvolve, LoadedRun } from './load.js';

const mean = (xs: readonly number[]) => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length);

export function generationTable(r: LoadedRun): Table {
  return {
    columns: [
      { key: 'generation', title: r.summary.strategy === 'random' ? 'Trials (batch)' : 'Generation' }, { key: 'n', title: 'Trained' },
      { key: 'mean_params', title: 'Mean params', format: fmt.si() }, { key: 'mean_ticket_params', title: 'Mean ticket params', format: fmt.si() },
      { key: 'mean_mmacs', title: 'Mean MMACs', format: fmt.fixed(1) }, { key: 'mean_ticket_mmacs', title: 'Mean ticket MMACs', format: fmt.fixed(1) },
      { key: 'mean_epoch_seconds', title: 'Mean epoch (s)', format: fmt.fixed(1) },
      { key: 'mean_val_acc_recalibrated', title: 'Mean val acc (before pruning)', format: fmt.percent(2) }, { key: 'mean_ticket_acc', title: 'Mean ticket acc (after)', format: fmt.percent(2) },
      { key: 'best_ticket_acc', title: 'Best ticket acc', format: fmt.percent(2) },
    ],
    rows: r.summary.per_generation as unknown as Record<string, unknown>[],
  };
}

export interface ComparisonRow {
  method: string;
  trained: number;
  best_acc: number | null;
  best_params: number | null;
  best_mmacs: number | null;
  mean_params: number;
  train_seconds: number;
  final_test_acc: number | null;
  [key: string]: unknown;
}

export function comparisonRows(e: LoadedEvolve): ComparisonRow[] {
  const row = (run: LoadedRun): ComparisonRow => {
    const best = run.summary.best;
    return {
      method: run.summary.strategy === 'random' ? 'Random search' : 'MENAS', trained: run.candidates.length,
      best_acc: best?.ticket_acc ?? null, best_params: best?.ticket_params ?? null, best_mmacs: best?.ticket_mmacs ?? null,
      mean_params: mean(run.candidates.map((c) => c.params)),
      train_seconds: run.candidates.reduce((s, c) => s + c.epoch_times.reduce((a, b) => a + b, 0) + c.explore_seconds + c.finetune_seconds, 0),
      final_test_acc: run.final?.summary?.test_acc ?? null,
    };
  };
  return [row(e), ...(e.compare ? [row(e.compare)] : [])];
}

export function comparisonTable(rows: readonly ComparisonRow[]): Table {
  return {
    columns: [
      { key: 'method', title: 'Method' }, { key: 'trained', title: 'Candidates trained' },
      { key: 'best_acc', title: 'Best ticket val acc', format: fmt.percent(2) }, { key: 'best_params', title: 'Its params', format: fmt.si() },
      { key: 'best_mmacs', title: 'Its MMACs', format: fmt.fixed(1) }, { key: 'mean_params', title: 'Mean params trained', format: fmt.si() },
      { key: 'train_seconds', title: 'Search compute (s)', format: fmt.fixed(0) }, { key: 'final_test_acc', title: 'Final test acc', format: fmt.percent(2) },
    ],
    rows,
  };
}

export interface BnEffectSummary { n: number; inherited: number; recalibrated: number; unpruned: number; unpruned_recalibrated: number }

/** Means over tickets (before any fine-tuning) and over the unpruned candidates, with inherited and re-calibrated statistics. */
export function bnEffectRow(cs: readonly CandidateRecord[]): BnEffectSummary {
  return {
    n: cs.length, inherited: mean(cs.map((c) => c.ticket_acc_inherited_bn)), recalibrated: mean(cs.map((c) => c.ticket_acc_recalibrated)),
    unpruned: mean(cs.map((c) => c.val_acc)), unpruned_recalibrated: mean(cs.map((c) => c.val_acc_recalibrated)),
  };
}

export function retrainTable(r: LoadedRun): Table {
  const rows = [...(r.final ? [r.final] : []), ...r.figure4].map((f) => ({
    label: f.ref.label, status: f.summary ? 'done' : 'not finished', params: f.summary?.params ?? null, mmacs: f.summary?.mmacs ?? null,
    epochs: f.summary?.epochs ?? null, train_images: f.summary?.train_images ?? null, test_acc: f.summary?.test_acc ?? null,
    mean_epoch: f.summary ? mean(f.summary.epoch_times) : null, dir: f.ref.dir,
  }));
  return {
    columns: [
      { key: 'label', title: 'Retraining' }, { key: 'status', title: 'Status' }, { key: 'params', title: 'Params', format: fmt.si() },
      { key: 'mmacs', title: 'MMACs', format: fmt.fixed(1) }, { key: 'epochs', title: 'Epochs' }, { key: 'train_images', title: 'Train images' },
      { key: 'mean_epoch', title: 'Mean epoch (s)', format: fmt.fixed(1) }, { key: 'test_acc', title: 'Test acc', format: fmt.percent(2) }, { key: 'dir', title: 'Folder' },
    ],
    rows,
  };
}
