// `lnas search` presets for the NAS-Bench-201 space.
// `nb201-paper` is the benchmark's own DARTS setting (C=16, N=5, 50 epochs, batch 64, the
// training set split 25k/25k, SGD lr 0.025 cosine to 0.001, momentum 0.9, wd 5e-4, grad clip 5,
// α Adam 3e-4 with betas (0.5, 0.999) and wd 1e-3), meant for a GPU.
// `nb201-quick` fits one run in 10 minutes on 2 idle cores with real CIFAR-10 (see README,
// "Search quality on NAS-Bench-201", for the measured time and why these sizes). Its α lr is
// 3e-2: over 3 seeds DARTS-V1 ended at 93.37 ± 0.23% with it and at 92.11 ± 0.24% with 3e-3,
// where α hardly moved (entropy 1.609 -> 1.57 in 630 steps).
import type { PresetOf } from '../../config/schema.js';
import { DataSchema } from '../../data/config.js';
import { SearchSchema } from '../darts/config.js';

const sections = { data: DataSchema, search: SearchSchema } as const;

export const NB201_SEARCH_PRESETS: Readonly<Record<string, PresetOf<typeof sections>>> = {
  'nb201-quick': {
    data: { dataset: 'cifar10' },
    search: { space: 'nb201', channels: 8, cellsPerStage: 1, epochs: 10, batchSize: 64, searchImages: 8000, weightDecay: 5e-4, alphaLr: 3e-2 },
  },
  'nb201-paper': {
    data: { dataset: 'cifar10' },
    search: { space: 'nb201', channels: 16, cellsPerStage: 5, epochs: 50, batchSize: 64, searchImages: 0, trainPortion: 0.5, lr: 0.025, lrMin: 0.001,
      momentum: 0.9, weightDecay: 5e-4, clip: 5, alphaLr: 3e-4, alphaBeta1: 0.5, alphaBeta2: 0.999, alphaWeightDecay: 1e-3 },
  },
};
