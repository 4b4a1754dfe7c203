// The files of an evolve folder (runs/evolve-<hash>/): search.json (the engine snapshot, written
// after every result), candidates.json (one record per trained candidate), summary.json (kind
// 'menas': what `lnas report` dispatches on) and the report. Their shapes live here, apart from
// the code that runs a search, because the report reads them.
import { existsSync, readFileSync } from 'node:fs';
import { LnasError } from '../../errors.js';
import { runPaths } from '../../runs/paths.js';
import type { MobileNetGenome } from '../../spaces/mobilenet/genome.js';
import type { CandidateResult } from './candidate.js';

export const evolvePaths = (dir: string) => {
  const p = runPaths(dir);
  return {
    ...p,
    search: p.stage('search.json'),
    candidates: p.stage('candidates.json'),
    lock: p.stage('evolve.lock'),
    pool: p.stage('pool'),
    html: p.stage('report.html'),
    reportJson: p.stage('report.json'),
    figure: (name: string) => p.stage(`${name}.svg`),
  };
};

/** One trained candidate, as the report and candidates.json see it: the trial's result fields plus its place in the run. */
export type CandidateRecord = Pick<CandidateResult, 'dir' | 'genome' | 'ticket' | 'blocks' | 'ticket_blocks' | 'val_acc' | 'val_acc_recalibrated'
  | 'ticket_acc' | 'ticket_acc_recalibrated' | 'ticket_acc_inherited_bn' | 'mmacs' | 'params' | 'ticket_mmacs' | 'ticket_params' | 'epoch_times'
  | 'explore_seconds'> & {
  id: number;
  /** The evolution's generation; for random search, the population-sized batch of its trials in order (the evolution's generation at the same budget). */
  generation: number;
  finetune_seconds: number;
  /** Batch-1 latency in ONNX Runtime of the candidate and of its ticket (runs with a latency budget). */
  latency_ms?: number;
  ticket_latency_ms?: number;
};

export interface GenerationStats {
  generation: number;
  n: number;
  mean_params: number;
  mean_ticket_params: number;
  mean_mmacs: number;
  mean_ticket_mmacs: number;
  mean_epoch_seconds: number;
  mean_val_acc: number;
  mean_val_acc_recalibrated: number;
  mean_ticket_acc: number;
  best_ticket_acc: number;
}

export interface RetrainRef { label: string; dir: string; genome: MobileNetGenome; source: number | null }

export interface EvolveSummary {
  kind: 'menas';
  version: 1;
  /** running: the search is under way; searched: candidates done, later stages not (yet); done. */
  status: 'running' | 'searched' | 'done';
  strategy: 'evolution' | 'random';
  hash: string;
  budget: number;
  population: number;
  generations: number;
  evaluations: number;
  per_generation: GenerationStats[];
  best: CandidateRecord | null;
  final: RetrainRef | null;
  figure4: RetrainRef[];
  /** The random baseline's evolve folder, when one was run alongside. */
  compare: string | null;
  workers: number;
  threads: number;
  wall_seconds: number;
  updated: string;
  config: unknown;
}

export function readEvolveSummary(dir: string): EvolveSummary {
  const path = evolvePaths(dir).summary;
  if (!existsSync(path)) throw new LnasError('LNAS_NOT_AN_EVOLVE_RUN', `${dir} has no summary.json; pass a runs/evolve-<hash> folder written by \`lnas evolve\``, { path: dir });
  try {
    const s = JSON.parse(readFileSync(path, 'utf8')) as EvolveSummary;
    if (s.kind !== 'menas') throw new Error(`kind is ${String(s.kind)}, not menas`);
    return s;
  } catch (e) {
    throw new LnasError('LNAS_NOT_AN_EVOLVE_RUN', `cannot read ${path}: ${(e as Error).message}`, { path });
  }
}

export function readCandidates(dir: string): CandidateRecord[] {
  try { return JSON.parse(readFileSync(evolvePaths(dir).candidates, 'utf8')) as CandidateRecord[]; } catch { return []; }
}

/** Whether `dir` holds an evolve run (summary.json of kind 'menas'). */
export function isEvolveFolder(dir: string): boolean {
  try { return (JSON.parse(readFileSync(evolvePaths(dir).summary, 'utf8')) as { kind?: unknown }).kind === 'menas'; } catch { return false; }
}
