// The data options every job shares (train, search, sweep, MENAS trials): dataset, batch sizes,
// limits, hold-out and augmentation.
import { int, oneOf, optStr, type ConfigOf } from '../config/schema.js';

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

export type DataConfig = ConfigOf<typeof DataSchema>;
