// Search presets (the retraining's are in experiments/retrain-presets.ts): `paper` is the LNAS
// seed's setting (10 search epochs, batch 64, lr 0.025 cosine, momentum 0.9, wd 3e-4, 8-op space,
// 7-node cells), meant for a GPU.
// `quick` fits the 20-minute budget on 2 idle cores with real data: a C=8, 5-cell
// supernet searched 2 epochs on 1,500 + 1,500 images (`lnas bench supernet` times its step), then
// a C=16, 8-cell network trained one epoch on 36,000 images (163 img/s on 2 idle cores) and tested on the
// full test set. Its numbers are honest but far from the paper's. Its α learning rate is 3e-2,
// not DARTS' 3e-4: 94 α steps at 3e-4 leave α at its start (entropy ln 8 in both cells), and on
// the NAS-Bench-201 quick search 10x the rate moved α about 5x as far (README, "Search quality on
// NAS-Bench-201").
import type { PresetOf } from '../../config/schema.js';
import { DataSchema } from '../../data/config.js';
import { SearchSchema } from './config.js';

const searchPresetSections = { data: DataSchema, search: SearchSchema } as const;

export const SEARCH_PRESETS: Readonly<Record<string, PresetOf<typeof searchPresetSections>>> = {
  quick: {
    data: { dataset: 'cifar10' },
    search: { channels: 8, layers: 5, epochs: 2, batchSize: 32, searchImages: 3000, alphaLr: 3e-2 },
  },
  paper: {
    data: { dataset: 'cifar10' },
    search: { channels: 16, layers: 8, epochs: 10, batchSize: 64, lr: 0.025, momentum: 0.9, weightDecay: 3e-4 },
  },
};
