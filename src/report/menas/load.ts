// Reads an evolve folder for the report: its summary, every trained candidate, the retrainings
// that have finished (final, Figure 4), and the random baseline's folder when one is named.
// Missing pieces are simply absent, so a report can be drawn while a run is still going.
import { existsSync, readFileSync } from 'node:fs';
import { runPaths } from '../../runs/paths.js';
import { type CandidateRecord, type EvolveSummary, type RetrainRef, readCandidates, readEvolveSummary } from '../../search/menas/files.js';
import type { RetrainSummary } from '../../search/menas/retrain.js';

export interface LoadedRetrain { ref: RetrainRef; summary: RetrainSummary | null }

export interface LoadedRun {
  dir: string;
  summary: EvolveSummary;
  candidates: CandidateRecord[];
  final: LoadedRetrain | null;
  figure4: LoadedRetrain[];
}

export interface LoadedEvolve extends LoadedRun {
  /** The random baseline (or whichever run it is compared with). */
  compare: LoadedRun | null;
}

function readRetrain(ref: RetrainRef): LoadedRetrain {
  const path = runPaths(ref.dir).summary;
  if (!existsSync(path)) return { ref, summary: null };
  try { return { ref, summary: JSON.parse(readFileSync(path, 'utf8')) as RetrainSummary }; } catch { return { ref, summary: null }; }
}

export function loadRun(dir: string): LoadedRun {
  const summary = readEvolveSummary(dir);
  return {
    dir, summary, candidates: readCandidates(dir),
    final: summary.final ? readRetrain(summary.final) : null,
    figure4: summary.figure4.map(readRetrain),
  };
}

/** `compare` overrides the folder the summary names. */
export function loadEvolve(dir: string, compare?: string | null): LoadedEvolve {
  const run = loadRun(dir);
  const other = compare ?? run.summary.compare;
  return { ...run, compare: other ? loadRun(other) : null };
}
