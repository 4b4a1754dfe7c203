import { ConfigError } from '../errors.js';
import type { Layer } from '../nn/module.js';
import { smallCnn } from './small-cnn.js';

export interface ModelSpec { model: string; width: number }

const MODELS: Record<string, (inChannels: number, classes: number, spec: ModelSpec) => Layer> = {
  'small-cnn': (c, k, s) => smallCnn(c, k, s.width),
};

export function buildModel(spec: ModelSpec, inChannels: number, classes: number): Layer {
  const make = MODELS[spec.model];
  if (!make) throw new ConfigError(`unknown model "${spec.model}"; known: ${Object.keys(MODELS).join(', ')}`, 'model.model');
  return make(inChannels, classes, spec);
}
