// The files of a sweep folder: sweep.json (the plan: every run and the folders of its stages)
// and progress.json (each stage's state). `lnas report` reads them, so their shape is kept here,
// apart from the code that runs a sweep.
import { existsSync, readFileSync } from 'node:fs';
import { LnasError } from '../errors.js';
import { runPaths } from '../runs/paths.js';

export type StageStatus = 'pending' | 'running' | 'done' | 'failed' | 'blocked';

export interface SweepRunEntry {
  name: string;
  variant: 'baseline' | 'v1' | 'v2' | 'alg3';
  sparsity: number | null;
  search: { stage: string; dir: string };
  /** null until the search has produced the genotype the retraining's identity depends on. */
  train: { stage: string; dir: string | null };
}

export interface SweepStageEntry { id: string; kind: 'search' | 'train'; dir: string | null; depends: string[]; runs: string[] }

export interface SweepFile {
  kind: 'lnas-sweep';
  version: 1;
  hash: string;
  /** Retraining epochs E; Table 1 reports the best accuracy up to E/2 (`half`) and up to E. */
  epochs: number;
  half: number;
  /** Which retraining split Table 1 and Figure 1 use: the held-out validation split, or test. */
  metric: 'val' | 'test';
  /** Weight-pruned retrainings are dense (Variant 1: identical to the baseline) up to this epoch. */
  dense_until?: number;
  variants: string[];
  sparsities: number[];
  config: Record<string, unknown>;
  runs: SweepRunEntry[];
  stages: SweepStageEntry[];
}

export interface StageProgress {
  status: StageStatus;
  dir: string | null;
  /** Worker processes started for this stage, over all invocations of the sweep. */
  launches: number;
  /** The run's own compute time (epoch times of its summary). */
  seconds: number | null;
  /** Wall and CPU time of the last worker launch (includes data loading and evaluation). */
  wall_seconds?: number;
  cpu_seconds?: number;
  error: string | null;
  /** Another stage of this sweep that turned out to have the same identity (same folder). */
  same_as?: string;
}

export interface ProgressFile { updated: string; stages: Record<string, StageProgress> }

export const sweepPaths = (dir: string) => {
  const p = runPaths(dir);
  return {
    dir,
    plan: p.stage('sweep.json'),
    progress: p.stage('progress.json'),
    lock: p.stage('sweep.lock'),
    trials: p.stage('trials'),
    table: (ext: 'md' | 'csv' | 'json') => p.stage(`table1.${ext}`),
    figure: p.stage('figure1.svg'),
    html: p.stage('report.html'),
  };
};

export function readSweepFile(dir: string): SweepFile {
  const path = sweepPaths(dir).plan;
  if (!existsSync(path)) throw new LnasError('LNAS_NOT_A_SWEEP', `${dir} is not a sweep folder (no sweep.json); pass a runs/sweep-<hash> folder written by \`lnas sweep\``, { path: dir });
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as SweepFile;
    if (v.kind !== 'lnas-sweep' || !Array.isArray(v.runs)) throw new Error('not an lnas sweep plan');
    return v;
  } catch (e) {
    throw new LnasError('LNAS_NOT_A_SWEEP', `cannot read ${path}: ${(e as Error).message}`, { path });
  }
}

export function readProgressFile(dir: string): ProgressFile | null {
  try { return JSON.parse(readFileSync(sweepPaths(dir).progress, 'utf8')) as ProgressFile; } catch { return null; }
}
