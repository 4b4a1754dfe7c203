// Data of one worker trial. A candidate trains on a subset of the training set and is scored on
// images held out of that subset (never the test set, which only the final retraining sees);
// the same held-out images judge every pruning proposal, and fixed training batches re-calibrate
// their BatchNorm statistics.
import type { Layout } from '../../data/augment.js';
import { Batcher } from '../../data/batcher.js';
import { holdoutSplit, identity } from '../../data/splits.js';
import { SyntheticDataset } from '../../data/synthetic.js';
import type { LoadedDataset } from '../../data/types.js';
import type { ExploreData } from '../../pruning/channel/explore.js';
import { type BatchSet, takeBatches } from '../../pruning/channel/recalibrate.js';
import { mobilenetConfig, type MobileNetSpaceConfig } from '../../spaces/mobilenet/config.js';
import type { DataConfig } from '../../train/config.js';
import { geometryOf, loadData } from '../../train/data-setup.js';
import type { Geometry } from '../../train/loop.js';
import type { SpaceOptions } from './config.js';

export async function loadTrialData(cfg: DataConfig, syntheticSize: number): Promise<LoadedDataset> {
  if (cfg.dataset !== 'synthetic') return loadData(cfg);
  return new SyntheticDataset({ trainSize: cfg.trainLimit || 2000, testSize: cfg.testLimit || 500, height: syntheticSize, width: syntheticSize, seed: 0 });
}

export interface ImageShape { readonly height: number; readonly channels: number; readonly classes: number }

/** The image shape of a dataset without reading it: the search driver only needs the space. */
export function datasetShape(cfg: Pick<DataConfig, 'dataset'>, syntheticSize: number): ImageShape {
  switch (cfg.dataset) {
    case 'cifar10': return { height: 32, channels: 3, classes: 10 };
    case 'cifar100': return { height: 32, channels: 3, classes: 100 };
    case 'mnist': case 'fashion-mnist': return { height: 28, channels: 1, classes: 10 };
    case 'synthetic': return { height: syntheticSize, channels: 3, classes: 10 };
  }
}

/**
 * The CIFAR configuration of MobileNet3-MT at the dataset's size and class count, with the
 * choice lists the run restricts. Small images may downsample fewer times (a 16px input ends at
 * 2x2 after three), so maxDownsamples shrinks until the last map keeps minFeatureSize.
 */
export function spaceConfigFor(shape: ImageShape, o: SpaceOptions): MobileNetSpaceConfig {
  const resolution = shape.height;
  let downs = 3;
  while (downs > 0 && Math.ceil(resolution / 2 ** downs) < 2) downs--;
  return mobilenetConfig('cifar', {
    resolution, classes: shape.classes, inChannels: shape.channels, maxDownsamples: downs,
    choices: { widthMults: o.widthMults, depths: o.depths },
  });
}

export interface TrialData {
  geometry: Geometry;
  layout: Layout;
  train: Batcher;
  /** Held-out validation images, in a fixed order (null when none are held out). */
  val: Batcher | null;
  test: Batcher;
  trainSize: number;
  valSet: BatchSet;
  recalSet: BatchSet;
  /** The held-out images split for screening proposals (first N, the rest); null: no screening. */
  screen: { first: BatchSet; rest: BatchSet } | null;
}

/** `batchSize` overrides the config's (the final retraining has its own). */
export function trialData(ds: LoadedDataset, cfg: DataConfig, o: { layout: Layout; seed: number; recalImages: number; screenImages?: number; batchSize?: number; trainLimit?: number }): TrialData {
  const limit = o.trainLimit ?? cfg.trainLimit;
  const nTrain = limit > 0 ? Math.min(limit, ds.train.n) : ds.train.n;
  const nTest = cfg.testLimit > 0 ? Math.min(cfg.testLimit, ds.test.n) : ds.test.n;
  const split = cfg.valSize > 0 ? holdoutSplit(nTrain, cfg.valSize, o.seed) : { train: identity(nTrain), val: new Int32Array(0) };
  const norm = { mean: ds.mean, std: ds.std, layout: o.layout };
  const cifarLike = cfg.dataset === 'cifar10' || cfg.dataset === 'cifar100';
  const on = (v: 'auto' | 'on' | 'off') => (v === 'auto' ? cifarLike : v === 'on');
  const augment = { padding: on(cfg.crop) ? 4 : 0, flip: on(cfg.flip), cutout: cfg.cutout };
  const evalOf = (set: LoadedDataset['train'], indices: Int32Array) =>
    new Batcher(set, { ...norm, batchSize: cfg.evalBatchSize, indices, shuffle: false, augment: null });
  const geometry = geometryOf(ds.train);
  const val = split.val.length > 0 ? evalOf(ds.train, split.val) : null;
  const setOf = (batcher: Batcher | null, images: number): BatchSet => ({ batches: batcher ? takeBatches(batcher, images) : [], geometry, layout: o.layout });
  // Screening splits the held-out images in two; the full set is then the two parts, not a copy.
  const nScreen = o.screenImages ?? 0;
  const part = (indices: Int32Array) => setOf(evalOf(ds.train, indices), indices.length);
  const screen = nScreen > 0 && nScreen < split.val.length ? { first: part(split.val.subarray(0, nScreen)), rest: part(split.val.subarray(nScreen)) } : null;
  const valSet = screen ? { ...screen.first, batches: [...screen.first.batches, ...screen.rest.batches] } : setOf(val, split.val.length);
  // Unaugmented, like EagleEye's adaptive BN: the statistics of the images the network will see.
  const recal = new Batcher(ds.train, { ...norm, batchSize: Math.min(64, cfg.batchSize), indices: split.train, shuffle: true, seed: o.seed + 7 });
  return {
    geometry, layout: o.layout,
    train: new Batcher(ds.train, { ...norm, batchSize: o.batchSize ?? cfg.batchSize, indices: split.train, shuffle: true, augment, seed: o.seed }),
    val, test: evalOf(ds.test, identity(nTest)), trainSize: split.train.length, valSet, screen,
    recalSet: setOf(recal, Math.min(o.recalImages, split.train.length)),
  };
}

/** What exploreTickets needs from a trial's data and ticket settings (screening when configured). */
export function exploreSets(d: TrialData, keep: number): ExploreData {
  return { recalibration: d.recalSet, validation: d.valSet, ...(d.screen ? { screening: { ...d.screen, keep } } : {}) };
}
