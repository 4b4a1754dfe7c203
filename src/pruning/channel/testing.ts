// Shared fixtures for the channel-pruning tests: a small CIFAR-style space, a genome that has
// SE, residual and already-pruned layers, non-trivial BatchNorm state, and fixed batch sets.

import { Batcher } from '../../data/batcher.js';
import { SyntheticDataset } from '../../data/synthetic.js';
import { rand } from '../../tensor/creation.js';
import { noGrad } from '../../tensor/runtime.js';
import { scope } from '../../tensor/scope.js';
import { Rng } from '../../util/rng.js';
import { mobilenetConfig } from '../../spaces/mobilenet/config.js';
import type { MobileNetGenome } from '../../spaces/mobilenet/genome.js';
import type { MobileNetNetwork } from '../../spaces/mobilenet/network.js';
import { mobilenetSpace } from '../../spaces/mobilenet/space.js';
import { batchNorms, type BatchSet, takeBatches } from './recalibrate.js';

export const RES = 16;
export const tinySpace = () => mobilenetSpace(mobilenetConfig('cifar', { resolution: RES, choices: { widthMults: [0.5, 0.75], depths: [1, 2, 3] } }));

/** Stage 2 has three layers (two residual), SE on two of them, and s2_i1 is already pruned by 1/8. */
export function testGenome(seed = 1): MobileNetGenome {
  const space = tinySpace();
  const g = space.sample(new Rng(seed));
  return space.validate({
    ...g, s1_down: false, s2_down: true, s3_down: true, s4_down: false, s5_down: true, s2_depth: 3, s2_i1_exp: 4, s2_i1_se: true, s2_i1_prune: 0.125, s2_i2_exp: 3, s2_i2_se: true, s2_i2_prune: 0,
    s2_i3_exp: 2, s2_i3_se: false, s2_i3_prune: 0, s3_depth: 1, s3_i1_exp: 6, s3_i1_prune: 0,
  });
}

/** Random affine parameters and running statistics, so that a wrong slice shows in the outputs. */
export function scrambleBatchNorm(model: MobileNetNetwork): void {
  noGrad(() => scope(() => {
    for (const bn of batchNorms(model)) {
      const c = bn.channels;
      bn.weight?.copy_(rand([c]).add(0.5));
      bn.bias?.copy_(rand([c]).sub(0.5));
      bn.runningMean?.copy_(rand([c]).sub(0.5));
      bn.runningVar?.copy_(rand([c]).add(0.5));
    }
  }));
}

export function syntheticBatches(o: { images: number; batchSize: number; seed: number; layout?: 'nchw' | 'nhwc' }): BatchSet {
  const data = new SyntheticDataset({ trainSize: o.images, testSize: 0, height: RES, width: RES, seed: o.seed });
  const layout = o.layout ?? 'nchw';
  const batcher = new Batcher(data.train, { batchSize: o.batchSize, mean: data.mean, std: data.std, shuffle: false, layout });
  return { batches: takeBatches(batcher, o.images), geometry: { channels: 3, height: RES, width: RES }, layout };
}
