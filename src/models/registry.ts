import { ConfigError } from '../errors.js';
import type { Layer } from '../nn/module.js';
import { resolveGenotype } from '../spaces/darts/genotypes.js';
import { GenotypeNetwork } from '../spaces/darts/network.js';
import type { ModelConfig } from '../train/config.js';
import { smallCnn } from './small-cnn.js';

const MODELS: Record<ModelConfig['model'], (inChannels: number, classes: number, spec: ModelConfig) => Layer> = {
  'small-cnn': (c, k, s) => smallCnn(c, k, s.width),
  darts: (c, k, s) => {
    if (s.genotype === null) throw new ConfigError('model darts needs --genotype (a name such as DARTS_V2, DARTS text, JSON or a file)', 'model.genotype');
    return new GenotypeNetwork(resolveGenotype(s.genotype), { channels: s.channels, layers: s.layers, classes: k, inChannels: c, auxiliary: s.auxiliary, dropPath: s.dropPath });
  },
};

export function buildModel(spec: ModelConfig, inChannels: number, classes: number): Layer {
  const make = MODELS[spec.model];
  if (!make) throw new ConfigError(`unknown model "${spec.model}"; known: ${Object.keys(MODELS).join(', ')}`, 'model.model');
  return make(inChannels, classes, spec);
}
