// Retraining presets of `lnas train`, `lnas darts` and `lnas sweep`: `paper` is the LNAS seed's
// setting (20 epochs, batch 64, C=36, 20 cells, auxiliary head, drop-path 0.2, cutout 16), for a
// GPU; `quick` trains a C=16, 8-cell network one epoch on 36,000 images (163 img/s
// measured on 2 idle cores: README, issue 13's section).
import type { PresetOf } from '../config/schema.js';
import { DataSchema } from '../data/config.js';
import { PruneSchema } from '../pruning/config.js';
import { OptimSchema } from '../train/config.js';
import { ModelSchema } from './models.js';

const retrainPresetSections = { data: DataSchema, model: ModelSchema, optim: OptimSchema, prune: PruneSchema } as const;

export const RETRAIN_PRESETS: Readonly<Record<string, PresetOf<typeof retrainPresetSections>>> = {
  quick: {
    data: { dataset: 'cifar10', batchSize: 96, cutout: 0, trainLimit: 36000 },
    model: { model: 'darts', channels: 16, layers: 8, auxiliary: false, dropPath: 0 },
    optim: { epochs: 1, lr: 0.1, weightDecay: 3e-4, momentum: 0.9, clip: 5 },
  },
  paper: {
    data: { dataset: 'cifar10', batchSize: 64, cutout: 16 },
    model: { model: 'darts', channels: 36, layers: 20, auxiliary: true, dropPath: 0.2 },
    optim: { epochs: 20, lr: 0.025, weightDecay: 3e-4, momentum: 0.9, clip: 5 },
  },
};
