import { ConfigError } from '../errors.js';
import type { Layer } from '../nn/module.js';
import type { Genotype } from '../spaces/darts/genotype.js';
import { GenotypeNetwork } from '../spaces/darts/network.js';
import { bool, int, num, oneOf, optStr, type ConfigOf } from '../config/schema.js';
import { smallCnn } from '../models/small-cnn.js';

export const ModelSchema = {
  model: oneOf('model to train (darts: a network built from --genotype)', ['small-cnn', 'darts'], 'small-cnn'),
  width: int('small-cnn: channels of the first convolution', 32, { min: 1, max: 4096 }),
  genotype: optStr('darts: genotype name (DARTS_V1, DARTS_V2), DARTS text, JSON, or a .json/.txt file'),
  channels: int('darts: initial channels C', 36, { min: 2, max: 4096 }),
  layers: int('darts: number of cells', 20, { min: 3, max: 200 }),
  auxiliary: bool('darts: auxiliary head after the second reduction', false),
  auxWeight: num('darts: weight of the auxiliary loss', 0.4, { min: 0 }),
  dropPath: num('darts: drop-path probability, ramped linearly from 0 over the epochs', 0, { min: 0, max: 0.9 }),
} as const;

export type ModelConfig = ConfigOf<typeof ModelSchema>;

type ModelSpec = Omit<ModelConfig, 'genotype'>;

const MODELS: Record<ModelConfig['model'], (inChannels: number, classes: number, spec: ModelSpec, genotype: Genotype | null) => Layer> = {
  'small-cnn': (c, k, s) => smallCnn(c, k, s.width),
  darts: (c, k, s, genotype) => {
    if (genotype === null) throw new ConfigError('model darts needs --genotype (a name such as DARTS_V2, DARTS text, JSON or a file)', 'model.genotype');
    return new GenotypeNetwork(genotype, { channels: s.channels, layers: s.layers, classes: k, inChannels: c, auxiliary: s.auxiliary, dropPath: s.dropPath });
  },
};

/** The model a spec names; `genotype` is the value of a darts model's genotype (resolved by the job). */
export function buildModel(spec: ModelSpec, genotype: Genotype | null, inChannels: number, classes: number): Layer {
  const make = MODELS[spec.model];
  if (!make) throw new ConfigError(`unknown model "${spec.model}"; known: ${Object.keys(MODELS).join(', ')}`, 'model.model');
  return make(inChannels, classes, spec, genotype);
}
