// Schemas for training: data, model and optimisation. CLI flags and config files both come
// from these.
import { bool, deviceOption, int, num, oneOf, optStr, type ConfigOf } from '../config/schema.js';

export const DataSchema = {
  dataset: oneOf('dataset to train on', ['cifar10', 'cifar100', 'mnist', 'fashion-mnist', 'synthetic'], 'cifar10'),
  dataDir: optStr('dataset folder (default: $LNAS_DATA_DIR, then ~/.cache/lnas/datasets)'),
  batchSize: int('training batch size', 64, { min: 1, max: 65536 }),
  evalBatchSize: int('evaluation batch size', 256, { min: 1, max: 65536 }),
  valSize: int('images held out of the training set for validation (0: report the test set only)', 0, { min: 0 }),
  trainLimit: int('use only the first N training images (0: all); for smoke tests', 0, { min: 0 }),
  testLimit: int('use only the first N test images (0: all)', 0, { min: 0 }),
  crop: oneOf('random crop with 4-pixel zero padding (auto: on for CIFAR, off for MNIST-style data)', ['auto', 'on', 'off'], 'auto'),
  flip: oneOf('random horizontal flip (auto: on for CIFAR, off for MNIST-style data)', ['auto', 'on', 'off'], 'auto'),
  cutout: int('cutout square length in pixels (0: off)', 0, { min: 0 }),
} as const;

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

/** Execution settings: they change speed, never results (except float order with threads > 1). */
export const RuntimeSchema = {
  threads: int('libtorch intra-op threads (0: all cores)', 0, { min: 0, max: 1024 }),
  memoryFormat: oneOf('tensor layout; channels_last is about 2x faster on CPU', ['channels-last', 'contiguous'], 'channels-last'),
  checkpointEvery: int('also checkpoint every N training steps within an epoch (0: only at epoch ends)', 200, { min: 0 }),
  device: deviceOption(),
  deterministic: bool('deterministic algorithms (no cuDNN autotuning): bit-identical reruns on CUDA where libtorch can, slower', false),
} as const;

/** LNAS Variant 1: lottery-ticket magnitude pruning while retraining (sparsity 0: off). */
export const PruneSchema = {
  sparsity: num('fraction of conv/linear weights pruned by the end (0: dense training)', 0, { min: 0, max: 0.999 }),
  schedule: oneOf('one-shot: prune to the sparsity once at --prune-at (the seed\'s experiment); iterative: n rounds of k epochs', ['one-shot', 'iterative'], 'one-shot'),
  pruneAt: int('one-shot: epoch (0-based count of finished epochs) at which to prune (0: half of the epochs)', 0, { min: 0 }),
  rounds: int('iterative: pruning rounds n; each keeps (1-p)^(1/n) of the surviving weights', 3, { min: 1, max: 100 }),
  epochsPerRound: int('iterative: epochs k of training before each round (and after the last)', 1, { min: 1 }),
  scope: oneOf('rank weight magnitudes across all layers or within each layer', ['global', 'layer'], 'global'),
  rewind: int('rewind surviving weights to their values after this many epochs (0: to θ0, the initial weights)', 0, { min: 0 }),
} as const;

export type PruneConfig = ConfigOf<typeof PruneSchema>;
export type DataConfig = ConfigOf<typeof DataSchema>;
export type OptimConfig = ConfigOf<typeof OptimSchema>;
export type ModelConfig = ConfigOf<typeof ModelSchema>;
export type RuntimeConfig = ConfigOf<typeof RuntimeSchema>;
