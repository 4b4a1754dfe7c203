// The plan of a sweep: which runs make up Table 1, and the stages (searches, retrainings) they
// share. Variant 1 retrains the baseline's genotype, so every v1 run shares the one baseline
// search; Algorithm 3 shares Variant 2's search at the same p. A stage is keyed by what defines
// it, so a shared stage appears once in the plan and executes once.
import { normalize } from '../config/schema.js';
import { SearchSchema } from '../search/darts/config.js';
import { type SearchJob, searchData, searchIdentity } from '../search/darts/search-job.js';
import { DataSchema, type DataConfig } from '../data/config.js';
import { ModelSchema, type ModelConfig } from './models.js';
import { OptimSchema } from '../train/config.js';
import { PruneSchema, type PruneConfig } from '../pruning/config.js';
import type { TrainJob } from './train-job.js';
import { configHash } from '../runs/identity.js';
import { runDirFor } from '../runs/paths.js';
import type { SweepConfig, Variant } from './sweep-config.js';

export type RunVariant = 'baseline' | Variant;

export interface SearchStage { id: string; kind: 'search'; alphaSparsity: number; dir: string; job: SearchJob }

/** A retraining; its folder is known only once its search has produced the genotype. */
export interface TrainStage { id: string; kind: 'train'; search: string; weightSparsity: number; job: Omit<TrainJob, 'model'> & { model: Omit<ModelConfig, 'genotype'> } }

export interface PlannedRun { name: string; variant: RunVariant; sparsity: number | null; search: string; train: string }

export interface SweepPlan { hash: string; dir: string; runs: PlannedRun[]; searches: SearchStage[]; trains: TrainStage[] }


export function sweepIdentity(cfg: SweepConfig): Record<string, unknown> {
  const { sparsity: _s, ...prune } = normalize(PruneSchema, { ...cfg.prune, sparsity: 0 } as PruneConfig);
  return {
    kind: 'lnas-sweep', variants: cfg.variants, sparsities: cfg.sparsities,
    search: normalize(SearchSchema, { ...cfg.search, alphaSparsity: 0 }),
    data: { ...normalize(DataSchema, cfg.data), dataDir: undefined },
    model: normalize(ModelSchema, { ...cfg.model, model: 'darts', genotype: null, width: ModelSchema.width.default }),
    optim: normalize(OptimSchema, cfg.optim), prune,
  };
}

export function planSweep(cfg: SweepConfig, runsDir: string): SweepPlan {
  const hash = configHash(sweepIdentity(cfg));
  const searches = new Map<string, SearchStage>();
  const trains = new Map<string, TrainStage>();
  const searchFor = (alphaSparsity: number): string => {
    const id = alphaSparsity === 0 ? 'search-baseline' : `search-alpha${alphaSparsity}`;
    if (!searches.has(id)) {
      const job: SearchJob = { data: searchData(cfg.data, cfg.search), search: { ...cfg.search, alphaSparsity }, runtime: cfg.runtime };
      searches.set(id, { id, kind: 'search', alphaSparsity, job, dir: runDirFor(runsDir, 'search', configHash(searchIdentity(job))) });
    }
    return id;
  };
  const trainFor = (search: string, weightSparsity: number): string => {
    const id = `train-${search.slice('search-'.length)}-${weightSparsity === 0 ? 'dense' : `prune${weightSparsity}`}`;
    if (!trains.has(id)) {
      trains.set(id, { id, kind: 'train', search, weightSparsity, job: {
        data: cfg.data, model: { ...cfg.model, model: 'darts', width: ModelSchema.width.default },
        optim: cfg.optim, prune: { ...cfg.prune, sparsity: weightSparsity }, runtime: cfg.runtime,
      } });
    }
    return id;
  };
  const run = (variant: RunVariant, p: number | null, alpha: number, weights: number): PlannedRun => {
    const search = searchFor(alpha);
    return { name: p === null ? 'baseline' : `${variant}-p${p}`, variant, sparsity: p, search, train: trainFor(search, weights) };
  };
  // The baseline first: its search feeds the baseline and every v1 run, so it should start first.
  const runs: PlannedRun[] = [run('baseline', null, 0, 0)];
  for (const v of cfg.variants) {
    for (const p of cfg.sparsities) {
      if (v === 'v1') runs.push(run(v, p, 0, p));
      if (v === 'v2') runs.push(run(v, p, p, 0));
      if (v === 'alg3') runs.push(run(v, p, p, p));
    }
  }
  return { hash, dir: runDirFor(runsDir, 'sweep', hash), runs, searches: [...searches.values()], trains: [...trains.values()] };
}
