// Reads a sweep folder for the report: the plan, and the summary.json of every stage that has
// finished. Unfinished stages are simply missing, so a report can be drawn mid-sweep.
import { existsSync, readFileSync } from 'node:fs';
import { type ProgressFile, type SweepFile, type SweepRunEntry, readProgressFile, readSweepFile } from '../../experiments/sweep-file.js';
import { runPaths } from '../../runs/paths.js';

/** The fields of a retraining's summary.json that the report uses. */
export interface TrainResult {
  epochs: number;
  parameters: number;
  nonzero_parameters: number;
  dense_macs: number;
  effective_macs: number;
  train_seconds: number;
  sparsity: number;
  history: { epoch: number; val_acc?: unknown; test_acc?: unknown }[];
}

/** The fields of a search's summary.json that the report uses. */
export interface SearchResult {
  search_seconds: number;
  genotype: unknown;
  genotype_text: string;
  alpha_sparsity: number;
}

export interface RunData {
  name: string;
  variant: SweepRunEntry['variant'];
  sparsity: number | null;
  searchStage: string;
  search: SearchResult | null;
  train: TrainResult | null;
}

export interface LoadedSweep { dir: string; file: SweepFile; progress: ProgressFile | null; runs: RunData[] }

function readSummary<T>(dir: string | null): T | null {
  if (dir === null) return null;
  const path = runPaths(dir).summary;
  if (!existsSync(path)) return null;
  try { return JSON.parse(readFileSync(path, 'utf8')) as T; } catch { return null; }
}

export function loadSweep(dir: string): LoadedSweep {
  const file = readSweepFile(dir);
  const runs = file.runs.map((r): RunData => ({
    name: r.name, variant: r.variant, sparsity: r.sparsity, searchStage: r.search.stage,
    search: readSummary<SearchResult>(r.search.dir), train: readSummary<TrainResult>(r.train.dir),
  }));
  return { dir, file, progress: readProgressFile(dir), runs };
}
