// One data set-up for every job (train, search, sweep stages, MENAS trials): a DataConfig becomes
// a loaded dataset, its augmentation, its train / held-out split and the batchers over them.
import type { AugmentOptions, Layout } from './augment.js';
import { Batcher } from './batcher.js';
import type { DataConfig } from './config.js';
import { ensureDataset, readDataset } from './load.js';
import { holdoutSplit, identity } from './splits.js';
import { SyntheticDataset, maxSyntheticImages } from './synthetic.js';
import { ConfigError } from '../errors.js';
import type { Geometry, ImageSet, LoadedDataset } from './types.js';

const SYNTHETIC_TRAIN = 2000;
const SYNTHETIC_TEST = 500;

/** `syntheticSize`: the synthetic images' side (default 32), for spaces tested on smaller inputs. */
export async function loadData(cfg: DataConfig, o: { syntheticSize?: number } = {}): Promise<LoadedDataset> {
  if (cfg.dataset === 'synthetic') {
    // The limits are the synthetic set's sizes: refuse one that cannot be allocated before trying.
    const side = o.syntheticSize ?? 32;
    const max = maxSyntheticImages(3, side, side);
    for (const [flag, path, value, def] of [['--train-limit', 'data.trainLimit', cfg.trainLimit, SYNTHETIC_TRAIN], ['--test-limit', 'data.testLimit', cfg.testLimit, SYNTHETIC_TEST]] as const) {
      if (value > max) {
        throw new ConfigError(`${flag} ${value} is too large for the synthetic dataset, which makes that many ${side}×${side}×3 images in memory: ` +
          `use at most ${max.toLocaleString('en-US')} (or 0 for the default, ${def.toLocaleString('en-US')})`, path);
      }
    }
    return new SyntheticDataset({ trainSize: cfg.trainLimit || SYNTHETIC_TRAIN, testSize: cfg.testLimit || SYNTHETIC_TEST, height: side, width: side, seed: 0 });
  }
  const dir = await ensureDataset(cfg.dataset, cfg.dataDir === null ? {} : { dataDir: cfg.dataDir });
  return readDataset(cfg.dataset, dir);
}

export const geometryOf = (s: ImageSet): Geometry => ({ channels: s.channels, height: s.height, width: s.width });

/**
 * The training augmentation the options ask for. The CIFAR recipe (padded crop, flip) is the
 * DARTS default; on 28×28 grayscale data in short runs it costs accuracy (measured: Fashion-MNIST,
 * 1 epoch, 87.2% without, 82.9% with), so `auto` turns it on for CIFAR only.
 */
export function augmentOf(cfg: Pick<DataConfig, 'dataset' | 'crop' | 'flip' | 'cutout'>): AugmentOptions {
  const cifarLike = cfg.dataset === 'cifar10' || cfg.dataset === 'cifar100';
  const on = (v: 'auto' | 'on' | 'off') => (v === 'auto' ? cifarLike : v === 'on');
  return { padding: on(cfg.crop) ? 4 : 0, flip: on(cfg.flip), cutout: cfg.cutout };
}

export interface Batchers {
  /** Shuffled and augmented. */
  train: Batcher;
  /** The held-out images, in a fixed order (null when --val-size is 0). */
  val: Batcher | null;
  test: Batcher;
  trainSize: number;
  /** Indices into the training set: what `train` draws from, and what was held out. */
  split: { train: Int32Array; val: Int32Array };
}

/** `batchSize` and `trainLimit` override the config's (MENAS' final retraining has its own). */
export function makeBatchers(ds: LoadedDataset, cfg: DataConfig, o: { layout: Layout; seed: number; batchSize?: number; trainLimit?: number }): Batchers {
  const limit = o.trainLimit ?? cfg.trainLimit;
  const nTrain = limit > 0 ? Math.min(limit, ds.train.n) : ds.train.n;
  const nTest = cfg.testLimit > 0 ? Math.min(cfg.testLimit, ds.test.n) : ds.test.n;
  const split = cfg.valSize > 0 ? holdoutSplit(nTrain, cfg.valSize, o.seed) : { train: identity(nTrain), val: new Int32Array(0) };
  const evalOf = (set: ImageSet, indices: Int32Array) => evalBatcher(ds, set, indices, cfg.evalBatchSize, o.layout);
  return {
    train: new Batcher(ds.train, { mean: ds.mean, std: ds.std, layout: o.layout, batchSize: o.batchSize ?? cfg.batchSize, indices: split.train, shuffle: true, dropLast: false, augment: augmentOf(cfg), seed: o.seed }),
    val: split.val.length ? evalOf(ds.train, split.val) : null,
    test: evalOf(ds.test, identity(nTest)),
    trainSize: split.train.length,
    split,
  };
}

/** Unshuffled, unaugmented batches over `indices` of `set` (normalised with the dataset's statistics). */
export function evalBatcher(ds: LoadedDataset, set: ImageSet, indices: Int32Array, batchSize: number, layout: Layout): Batcher {
  return new Batcher(set, { mean: ds.mean, std: ds.std, layout, batchSize, indices, shuffle: false, augment: null });
}
