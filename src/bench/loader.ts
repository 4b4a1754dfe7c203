// `lnas bench loader`: data preparation throughput on one core (crop, flip, cutout, normalise into
// a batch), both layouts, on the real CIFAR-10 training set when it is installed (random
// CIFAR-shaped images otherwise; the speed does not depend on pixel values). It tells whether the
// loader could ever be the bottleneck of a training step: compare with `lnas bench supernet`.
import { defaults } from '../config/schema.js';
import { benchLoader, randomImageSet } from '../data/bench.js';
import { DataSchema } from '../data/config.js';
import { loadData } from '../data/setup.js';
import type { ImageSet } from '../data/types.js';

export async function benchLoaders(o: { batch: number; images: number; seed: number }): Promise<Record<string, unknown>> {
  let set: ImageSet;
  let data: string;
  try {
    set = (await loadData({ ...defaults(DataSchema), dataset: 'cifar10' })).train;
    data = 'cifar10';
  } catch {
    set = randomImageSet(5000, o.seed);
    data = 'random (CIFAR-10 is not installed)';
  }
  const out: Record<string, unknown> = { impl: 'lnas', model: 'loader', data, batch: o.batch, threads: 1, augment: 'crop+flip+cutout 16' };
  for (const layout of ['nchw', 'nhwc'] as const) {
    const r = benchLoader({ set, layout, images: o.images, batchSize: o.batch, seed: o.seed });
    out[`${layout}_img_s`] = r.imagesPerSec;
  }
  return out;
}
