// BatchNorm re-calibration (EagleEye's adaptive BN): the statistics a pruned network inherits
// from its parent describe channels that no longer see the same inputs, so every pruned network
// looks equally bad until they are re-estimated. The running statistics are reset and
// re-estimated from a few hundred training images as a cumulative average (momentum null),
// with every parameter frozen and no gradient recorded.

import type { Layout } from '../../data/augment.js';
import type { Batch, Batcher } from '../../data/batcher.js';
import { BatchNorm2d } from '../../nn/layers.js';
import type { Layer, Module } from '../../nn/module.js';
import { noGrad } from '../../tensor/runtime.js';
import { scope } from '../../tensor/scope.js';
import { batchTensors, type Geometry } from '../../train/loop.js';

/** Fixed batches, reused unchanged for every proposal so that they are compared on equal terms. */
export interface BatchSet {
  readonly batches: readonly Batch[];
  readonly geometry: Geometry;
  readonly layout: Layout;
}

/** The number of images in a batch set. */
export const imagesIn = (set: Pick<BatchSet, 'batches'>): number => set.batches.reduce((n, b) => n + b.size, 0);

/** The next batches of `batcher` until at least `images` images, copied (safe with reuseBuffers). */
export function takeBatches(batcher: Batcher, images: number): Batch[] {
  const out: Batch[] = [];
  for (let n = 0; n < images;) {
    const b = batcher.next();
    out.push({ x: b.x.slice(), y: b.y.slice(), size: b.size, indices: b.indices.slice() });
    n += b.size;
  }
  return out;
}

export function batchNorms(model: Module): BatchNorm2d[] {
  return [...model.modules()].map(([, m]) => m).filter((m): m is BatchNorm2d => m instanceof BatchNorm2d && m.runningMean !== null);
}

/**
 * Replaces every BatchNorm's running statistics by their cumulative average over `data`
 * (each batch weighs the same, as PyTorch's momentum=None). Parameters are not touched;
 * train/eval modes and momenta are restored afterwards. Returns the number of images used.
 */
export function recalibrateBatchNorm(model: Layer, data: BatchSet): number {
  const bns = batchNorms(model);
  const modes = [...model.modules()].map(([, m]) => [m, m.training] as const);
  // Read every momentum before writing any: BNs may share one options object.
  const momenta = bns.map((bn) => [bn, bn.options.momentum] as const);
  let images = 0;
  try {
    noGrad(() => {
      for (const bn of bns) {
        bn.runningMean?.zero_();
        bn.runningVar?.fill_(1);
        bn.numBatchesTracked?.zero_();
        bn.options.momentum = null;
      }
      // Only the BNs in train mode: dropout and the like keep their evaluation behaviour.
      model.eval();
      for (const bn of bns) bn.training = true;
      for (const b of data.batches) {
        scope(() => { model.forward(batchTensors(b, data.geometry, data.layout).x); });
        images += b.size;
      }
    });
  } finally {
    for (const [bn, m] of momenta) {
      if (m === undefined) delete bn.options.momentum;
      else bn.options.momentum = m;
    }
    for (const [m, training] of modes) m.training = training;
  }
  return images;
}
