// Loader throughput on one core, so we can tell whether data preparation could ever be
// the bottleneck of a training step.

import { Rng } from '../util/rng.js';
import type { AugmentOptions, Layout } from './augment.js';
import { Batcher } from './batcher.js';
import { DATASETS } from './specs.js';
import type { ImageSet } from './types.js';

export interface BenchOptions {
  batchSize?: number;
  /** Images to push through, after one warm-up epoch fraction. */
  images?: number;
  /** Defaults to random CIFAR-shaped images (speed does not depend on pixel values). */
  set?: ImageSet;
  layout?: Layout;
  augment?: AugmentOptions;
  reuseBuffers?: boolean;
  seed?: number;
}

export interface BenchResult {
  imagesPerSec: number;
  images: number;
  seconds: number;
  batchSize: number;
  layout: Layout;
}

export function randomImageSet(n: number, seed = 0, shape = { channels: 3, height: 32, width: 32, classes: 10 }): ImageSet {
  const rng = new Rng(seed);
  const images = new Uint8Array(n * shape.channels * shape.height * shape.width);
  const words = new Uint32Array(images.buffer, 0, images.length >>> 2);
  for (let i = 0; i < words.length; i++) words[i] = rng.nextUint32();
  for (let i = words.length * 4; i < images.length; i++) images[i] = rng.int(256);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) labels[i] = rng.int(shape.classes);
  return { images, labels, n, ...shape };
}

/** Default: batch 64 CIFAR-10 with crop(4)+flip+cutout(16)+normalise, NCHW. */
export function benchLoader(opts: BenchOptions = {}): BenchResult {
  const batchSize = opts.batchSize ?? 64;
  const layout = opts.layout ?? 'nchw';
  const set = opts.set ?? randomImageSet(5000, opts.seed ?? 0);
  const spec = DATASETS.cifar10;
  const channels = set.channels;
  const batcher = new Batcher(set, {
    batchSize,
    mean: channels === 3 ? spec.mean : new Array<number>(channels).fill(0.5),
    std: channels === 3 ? spec.std : new Array<number>(channels).fill(0.25),
    augment: opts.augment ?? { padding: 4, flip: true, cutout: 16 },
    shuffle: true,
    dropLast: true,
    layout,
    seed: opts.seed ?? 0,
    reuseBuffers: opts.reuseBuffers ?? false,
  });
  // Warm up so the JIT has compiled the hot loops before timing.
  for (let i = 0; i < 20; i++) batcher.next();
  const target = opts.images ?? 20000;
  let done = 0;
  let checksum = 0;
  const t0 = process.hrtime.bigint();
  while (done < target) {
    const b = batcher.next();
    checksum += b.x[0] as number; // keep the work observable
    done += b.size;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (Number.isNaN(checksum)) throw new Error('benchLoader: produced NaN');
  return { imagesPerSec: done / seconds, images: done, seconds, batchSize, layout };
}
