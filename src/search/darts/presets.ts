// Presets: `paper` is the LNAS seed's setting (10 search epochs, 20 training epochs, batch 64,
// lr 0.025 cosine, momentum 0.9, wd 3e-4, 8-op space, 7-node cells), meant for a GPU.
// `quick` fits a CPU budget of minutes on real data: a smaller supernet searched on a subset,
// then a short retraining. Its numbers are honest but far from the paper's.
import type { Preset } from '../../cli/args.js';

export const SEARCH_PRESETS: Record<string, Preset> = {
  quick: {
    data: { dataset: 'cifar10' },
    search: { channels: 8, layers: 5, epochs: 2, batchSize: 32, searchImages: 4000 },
  },
  paper: {
    data: { dataset: 'cifar10' },
    search: { channels: 16, layers: 8, epochs: 10, batchSize: 64, lr: 0.025, momentum: 0.9, weightDecay: 3e-4 },
  },
};

export const RETRAIN_PRESETS: Record<string, Preset> = {
  quick: {
    data: { dataset: 'cifar10', batchSize: 96, cutout: 0 },
    model: { model: 'darts', channels: 16, layers: 8, auxiliary: false, dropPath: 0 },
    optim: { epochs: 1, lr: 0.1, weightDecay: 3e-4, momentum: 0.9, clip: 5 },
  },
  paper: {
    data: { dataset: 'cifar10', batchSize: 64, cutout: 16 },
    model: { model: 'darts', channels: 36, layers: 20, auxiliary: true, dropPath: 0.2 },
    optim: { epochs: 20, lr: 0.025, weightDecay: 3e-4, momentum: 0.9, clip: 5 },
  },
};
