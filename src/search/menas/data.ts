// Data of one worker trial. A candidate trains on a subset of the training set and is scored on
// images held out of that subset (never the test set, which only the final retraining sees);
// the same held-out images judge every pruning proposal, and fixed training batches re-calibrate
// their BatchNorm statistics.
import type { Layout } from '../../data/augment.js';
import { Batcher } from '../../data/batcher.js';
import type { LoadedDataset } from '../../data/types.js';
import type { ExploreData } from '../../pruning/channel/explore.js';
import { type BatchSet, takeBatches } from '../../pruning/channel/recalibrate.js';
import { mobilenetConfig, type MobileNetSpaceConfig } from '../../spaces/mobilenet/config.js';
import type { DataConfig } from '../../data/config.js';
import { evalBatcher, geometryOf, makeBatchers } from '../../data/setup.js';
import type { Geometry } from '../../data/types.js';
import type { SpaceOptions } from './config.js';

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

/** `batchSize` and `trainLimit` override the config's (the final retraining has its own). */
export function trialData(ds: LoadedDataset, cfg: DataConfig, o: { layout: Layout; seed: number; recalImages: number; screenImages?: number; batchSize?: number; trainLimit?: number }): TrialData {
  const b = makeBatchers(ds, cfg, { layout: o.layout, seed: o.seed, ...(o.batchSize === undefined ? {} : { batchSize: o.batchSize }), ...(o.trainLimit === undefined ? {} : { trainLimit: o.trainLimit }) });
  const { split } = b;
  const geometry = geometryOf(ds.train);
  const setOf = (batcher: Batcher | null, images: number): BatchSet => ({ batches: batcher ? takeBatches(batcher, images) : [], geometry, layout: o.layout });
  // Screening splits the held-out images in two; the full set is then the two parts, not a copy.
  const nScreen = o.screenImages ?? 0;
  const part = (indices: Int32Array) => setOf(evalBatcher(ds, ds.train, indices, cfg.evalBatchSize, o.layout), indices.length);
  const screen = nScreen > 0 && nScreen < split.val.length ? { first: part(split.val.subarray(0, nScreen)), rest: part(split.val.subarray(nScreen)) } : null;
  const valSet = screen ? { ...screen.first, batches: [...screen.first.batches, ...screen.rest.batches] } : setOf(b.val, split.val.length);
  // Unaugmented, like EagleEye's adaptive BN: the statistics of the images the network will see.
  const recal = new Batcher(ds.train, { mean: ds.mean, std: ds.std, layout: o.layout, batchSize: Math.min(64, cfg.batchSize), indices: split.train, shuffle: true, seed: o.seed + 7 });
  return {
    geometry, layout: o.layout, train: b.train, val: b.val, test: b.test, trainSize: b.trainSize, valSet, screen,
    recalSet: setOf(recal, Math.min(o.recalImages, split.train.length)),
  };
}

/** What exploreTickets needs from a trial's data and ticket settings (screening when configured). */
export function exploreSets(d: TrialData, keep: number): ExploreData {
  return { recalibration: d.recalSet, validation: d.valSet, ...(d.screen ? { screening: { ...d.screen, keep } } : {}) };
}
