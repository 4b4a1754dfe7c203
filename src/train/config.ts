// Schemas of the generic training layer: optimisation and execution. CLI flags and config files
// both come from these.
import { bool, deviceOption, int, num, oneOf, type ConfigOf } from '../config/schema.js';

export const OptimSchema = {
  epochs: int('training epochs', 1, { min: 1, max: 100000 }),
  optimizer: oneOf('weight optimizer', ['sgd', 'adam', 'rmsprop', 'rmsprop-tf'], 'sgd'),
  lr: num('initial learning rate', 0.05, { min: 0 }),
  momentum: num('momentum (SGD, RMSprop)', 0.9, { min: 0, max: 1 }),
  nesterov: bool('Nesterov momentum (SGD)', false),
  weightDecay: num('L2 weight decay', 5e-4, { min: 0 }),
  schedule: oneOf('learning-rate schedule over epochs', ['cosine', 'step', 'constant'], 'cosine'),
  etaMin: num('final learning rate of the cosine schedule', 0, { min: 0 }),
  warmupEpochs: num('linear warm-up epochs before the schedule', 0, { min: 0 }),
  decayEvery: num('step schedule: epochs between decays (may be fractional, e.g. 2.4)', 2.4, { min: 0.001 }),
  decayRate: num('step schedule: multiplicative decay', 0.97, { min: 0, max: 1 }),
  clip: num('clip gradients to this global L2 norm (0: off)', 0, { min: 0 }),
  labelSmoothing: num('label smoothing of the cross-entropy loss', 0, { min: 0, max: 1 }),
  ema: num('decay of an exponential moving average of the weights used for evaluation (0: off)', 0, { min: 0, max: 1 }),
  seed: int('random seed (libtorch and TypeScript sources)', 0, { min: 0 }),
} as const;

/** Execution settings: they change speed, never results (except float order with threads > 1). */
export const RuntimeSchema = {
  threads: int('libtorch intra-op threads (0: all cores)', 0, { min: 0, max: 1024 }),
  memoryFormat: oneOf('tensor layout; channels_last is about 2x faster on CPU', ['channels-last', 'contiguous'], 'channels-last'),
  checkpointEvery: int('also checkpoint every N training steps within an epoch (0: only at epoch ends)', 200, { min: 0 }),
  device: deviceOption(),
  deterministic: bool('deterministic algorithms (no cuDNN autotuning): bit-identical reruns on CUDA where libtorch can, slower', false),
} as const;

export type OptimConfig = ConfigOf<typeof OptimSchema>;
export type RuntimeConfig = ConfigOf<typeof RuntimeSchema>;

/** The memory-format option as configs spell it; `layoutOf` gives the batchers' layout. */
export type MemoryFormat = RuntimeConfig['memoryFormat'];
export const layoutOf = (f: MemoryFormat): 'nchw' | 'nhwc' => (f === 'channels-last' ? 'nhwc' : 'nchw');
