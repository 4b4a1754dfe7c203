// Flags and presets of `lnas sweep`. The sweep sets the sparsities itself, so the single-run
// flags --sparsity, --alpha-sparsity, --model and --genotype are left out (passing them is an
// unknown-option error rather than a silently ignored value).
import type { PresetOf } from '../config/schema.js';
import { defaults, int, list, str, type ConfigOf, type Schema } from '../config/schema.js';
import { ConfigError } from '../errors.js';
import { type ExecutorConfig, ExecutorSchema } from '../workers/executor.js';
import { type SearchConfig, SearchSchema } from '../search/darts/config.js';
import { RETRAIN_PRESETS } from './retrain-presets.js';
import { SEARCH_PRESETS } from '../search/darts/presets.js';
import { type DataConfig, DataSchema } from '../data/config.js';
import { type ModelConfig, ModelSchema } from './models.js';
import { type OptimConfig, OptimSchema, type RuntimeConfig, RuntimeSchema } from '../train/config.js';
import { type PruneConfig, PruneSchema } from '../pruning/config.js';

export const VARIANTS = ['v1', 'v2', 'alg3'] as const;
export type Variant = (typeof VARIANTS)[number];

export const PAPER_SPARSITIES = [0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 0.95] as const;

export const SweepSchema = {
  variants: str('comma-separated LNAS variants: v1 (prune weights while retraining), v2 (prune α during the search), alg3 (both)', 'v1,v2'),
  sparsities: list('comma-separated sparsity levels p', PAPER_SPARSITIES, { min: 0.001, max: 0.95 }),
  workers: int('parallel worker processes (0: one per core); workers × threads never exceeds the cores', 0, { min: 0, max: 1024 }),
  repeats: int('run every configuration with N seeds (seed, seed+1, ...; search seeds alike) as independent trials; Table 1 shows mean ± std and Welch tests', 1, { min: 1, max: 1000 }),
} as const;

// One flag namespace for all sections: the search's and the retraining's hyperparameters share
// names (--epochs, --lr, --channels...), and so do the prune and LR schedules. The search's get a
// `search-` prefix, the prune schedule a `prune-` one; the rest keep their `lnas train` names.
const SEARCH_RENAMES = { channels: 'searchChannels', layers: 'searchLayers', epochs: 'searchEpochs', batchSize: 'searchBatchSize', lr: 'searchLr',
  momentum: 'searchMomentum', weightDecay: 'searchWeightDecay', clip: 'searchClip', seed: 'searchSeed' } as const;
const PRUNE_RENAMES = { schedule: 'pruneSchedule' } as const;

function renameKeys(o: Readonly<Record<string, unknown>>, names: Readonly<Record<string, string>>, drop: readonly string[] = []): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !drop.includes(k)).map(([k, v]) => [names[k] ?? k, v]));
}
/** The renamed sections' schemas are built at run time; their preset values were typed before renaming. */
const presetFlags = (o: Record<string, unknown>) => o as Partial<ConfigOf<Schema>>;
const unrename = (o: Readonly<Record<string, unknown>>, names: Readonly<Record<string, string>>) =>
  renameKeys(o, Object.fromEntries(Object.entries(names).map(([a, b]) => [b, a])));

const SearchFlags = renameKeys(SearchSchema, SEARCH_RENAMES, ['alphaSparsity']) as Schema;
const PruneFlags = renameKeys(PruneSchema, PRUNE_RENAMES, ['sparsity']) as Schema;
const ModelFlags = renameKeys(ModelSchema, {}, ['model', 'genotype', 'width']) as Schema;

export const sweepSections = {
  sweep: SweepSchema, data: DataSchema, search: SearchFlags, model: ModelFlags, optim: OptimSchema, prune: PruneFlags, runtime: RuntimeSchema,
  executor: ExecutorSchema,
} as const;

export type SweepSections = typeof sweepSections;
export type SweepFlags = { [K in keyof SweepSections]: ConfigOf<SweepSections[K]> };

export interface SweepConfig {
  variants: Variant[];
  sparsities: number[];
  workers: number;
  data: DataConfig;
  /** alphaSparsity is set per stage by the plan. */
  search: SearchConfig;
  model: Omit<ModelConfig, 'model' | 'genotype'>;
  optim: OptimConfig;
  /** sparsity is set per stage by the plan. */
  prune: PruneConfig;
  runtime: RuntimeConfig;
  executor: ExecutorConfig;
  repeats: number;
}

/**
 * `quick`: 3 sparsity levels × {v1, v2} + the baseline = 4 searches and 7 retrainings, sized for
 * well under an hour on 2 cores (2 workers × 1 thread). Measured per worker, in CPU seconds on
 * this project's 2-core machines with both workers busy: the C=8, 5-cell supernet costs ~0.12 s
 * per search-train image per epoch (α step and search-val evaluation included); the retrained
 * C=16, 8-cell networks (searched genotypes, 0.33-0.35 M parameters) train at ~40 images/s and
 * evaluate at ~120. So a search here (4 epochs × 800 images) takes ~400 s and a retraining
 * (4 epochs × 3,500 images, + 500 val + 1,000 test per epoch) ~400 s. Searches go first: 2 waves
 * of searches, then 4 waves of retrainings: 2 × 400 + 4 × 400 s ≈ 40 minutes.
 * The retraining has an even number of epochs so that one-shot pruning happens at E/2 and
 * Table 1 compares "best up to E/2" with "best up to E", as the seed does with 10 and 20.
 * Its α learning rate is 3e-2 (100 α steps at DARTS' 3e-4 leave α where it started; see presets.ts).
 * `paper`: the seed's settings (10 search epochs, 20 retraining epochs, prune at epoch 10).
 */
export const SWEEP_PRESETS: Readonly<Record<string, PresetOf<typeof sweepSections>>> = {
  quick: {
    sweep: { sparsities: [0.25, 0.5, 0.75] },
    data: { dataset: 'cifar10', batchSize: 64, cutout: 0, trainLimit: 4000, valSize: 500, testLimit: 1000 },
    search: presetFlags(renameKeys({ channels: 8, layers: 5, epochs: 4, batchSize: 32, searchImages: 1600, alphaLr: 3e-2 } satisfies Partial<SearchConfig>, SEARCH_RENAMES)),
    model: { channels: 16, layers: 8, auxiliary: false, dropPath: 0 },
    optim: { epochs: 4, lr: 0.05, weightDecay: 3e-4, momentum: 0.9, clip: 5 },
  },
  paper: {
    data: { ...RETRAIN_PRESETS.paper?.data },
    search: presetFlags(renameKeys({ ...SEARCH_PRESETS.paper?.search }, SEARCH_RENAMES)),
    model: presetFlags(withoutKeys(RETRAIN_PRESETS.paper?.model, ['model'])),
    optim: { ...RETRAIN_PRESETS.paper?.optim },
  },
};

function withoutKeys(o: Readonly<Record<string, unknown>> | undefined, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([k]) => !keys.includes(k)));
}

/** Checks what the schemas cannot: the variant list, duplicate levels, a prunable epoch count. */
export function sweepConfigOf(flags: SweepFlags): SweepConfig {
  const names = flags.sweep.variants.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) throw new ConfigError('--variants needs at least one of v1, v2, alg3', 'sweep.variants');
  for (const n of names) {
    if (!(VARIANTS as readonly string[]).includes(n)) throw new ConfigError(`unknown variant "${n}"; variants are ${VARIANTS.join(', ')}`, 'sweep.variants');
  }
  const variants = VARIANTS.filter((v) => names.includes(v));
  const sparsities = [...new Set(flags.sweep.sparsities)].sort((a, b) => a - b);
  if (sparsities.length === 0) throw new ConfigError('--sparsities needs at least one level in (0, 0.95]', 'sweep.sparsities');
  const search = { ...defaults(SearchSchema), ...unrename(flags.search, SEARCH_RENAMES), alphaSparsity: 0 } as SearchConfig;
  const prune = { ...defaults(PruneSchema), ...unrename(flags.prune, PRUNE_RENAMES), sparsity: 0 } as PruneConfig;
  const model = { ...defaults(ModelSchema), ...flags.model } as ModelConfig;
  const { model: _m, genotype: _g, ...modelRest } = model;
  const prunesWeights = variants.includes('v1') || variants.includes('alg3');
  if (prunesWeights && prune.schedule === 'one-shot') {
    const at = prune.pruneAt || Math.floor(flags.optim.epochs / 2);
    if (flags.optim.epochs < 2 || at < 1 || at >= flags.optim.epochs) {
      throw new ConfigError(`one-shot pruning needs 1 <= prune-at < epochs; got prune-at ${at} with ${flags.optim.epochs} epochs (use --epochs 2 or more)`, 'optim.epochs');
    }
  }
  return { variants, sparsities, workers: flags.sweep.workers, data: flags.data, search, model: modelRest, optim: flags.optim, prune, runtime: flags.runtime,
    executor: flags.executor, repeats: flags.sweep.repeats };
}
