// Search configuration (DARTS defaults; presets override them).
import { ConfigError } from '../../errors.js';
import { bool, int, num, oneOf, type ConfigOf } from '../../config/schema.js';

export const SearchSchema = {
  channels: int('initial channels C of the search network', 16, { min: 2, max: 1024 }),
  layers: int('cells in the search network', 8, { min: 3, max: 64 }),
  epochs: int('search epochs', 50, { min: 1, max: 10000 }),
  batchSize: int('search batch size (each step uses one search-train and one search-val batch)', 64, { min: 1 }),
  lr: num('weight learning rate (cosine schedule)', 0.025, { min: 0 }),
  lrMin: num('final weight learning rate', 0.001, { min: 0 }),
  momentum: num('weight SGD momentum', 0.9, { min: 0, max: 1 }),
  weightDecay: num('weight decay', 3e-4, { min: 0 }),
  clip: num('gradient clipping norm for the weights (0: off)', 5, { min: 0 }),
  alphaLr: num('α Adam learning rate', 3e-4, { min: 0 }),
  alphaBeta1: num('α Adam beta1', 0.5, { min: 0, max: 1 }),
  alphaBeta2: num('α Adam beta2', 0.999, { min: 0, max: 1 }),
  alphaWeightDecay: num('α weight decay', 1e-3, { min: 0 }),
  order: int('1: first-order DARTS; 2: second-order (unrolled) DARTS', 1, { min: 1, max: 2 }),
  trainPortion: num('fraction of the training images used for weights; the rest is search-val', 0.5, { min: 0.01, max: 0.99 }),
  searchImages: int('use only N training images for the search (0: all); split by trainPortion', 0, { min: 0 }),
  alphaSparsity: num('Variant 2: fraction of α entries pruned by the end of the search (0: off)', 0, { min: 0, max: 0.95 }),
  pruneRounds: int('Variant 2: pruning rounds (0: one per epoch)', 0, { min: 0 }),
  seed: int('random seed', 2, { min: 0 }),
  evalEvery: int('evaluate on the search-val split every N epochs (the last epoch always)', 1, { min: 1 }),
  firstOrderWarmup: bool('second order only: run the first epoch that updates α first-order (cheaper start)', false),
  alphaWarmup: int('epochs of weight-only training before α updates start (α pruning rounds follow them)', 0, { min: 0 }),
  alphaEvery: int('update α once every N weight steps', 1, { min: 1 }),
  space: oneOf('search space: darts (the DARTS cell, 8 ops) or nb201 (NAS-Bench-201, judged by table lookup)', ['darts', 'nb201'], 'darts'),
  cellsPerStage: int('nb201 only: cells per stage N (the supernet has 3N cells; --layers is DARTS only)', 5, { min: 1, max: 64 }),
} as const;

export type SearchConfig = ConfigOf<typeof SearchSchema>;

/** What the schema cannot check: the warm-up leaves epochs to search in, space-only options. */
export function checkSearchConfig(s: SearchConfig): void {
  if (s.alphaWarmup >= s.epochs) {
    throw new ConfigError(`--alpha-warmup ${s.alphaWarmup} leaves no epoch of the ${s.epochs} to update α in; use at most ${s.epochs - 1}`, 'search.alphaWarmup');
  }
  if (s.space === 'darts' && s.cellsPerStage !== SearchSchema.cellsPerStage.default) {
    throw new ConfigError('--cells-per-stage is for --space nb201; a DARTS supernet\'s depth is --layers', 'search.cellsPerStage');
  }
  if (s.space === 'nb201' && s.layers !== SearchSchema.layers.default) {
    throw new ConfigError('--layers is for the DARTS space; a NAS-Bench-201 supernet has 3 stages of --cells-per-stage cells', 'search.layers');
  }
}
