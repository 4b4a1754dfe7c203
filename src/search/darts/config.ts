// Search configuration (DARTS defaults; presets override them).
import { bool, int, num, type ConfigOf } from '../../config/schema.js';

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
  firstOrderWarmup: bool('second order only: run epoch 1 first-order (cheaper start)', false),
} as const;

export type SearchConfig = ConfigOf<typeof SearchSchema>;
