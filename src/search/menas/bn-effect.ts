// The BatchNorm effect EagleEye reported: a pruned network sliced out of a trained one keeps
// running statistics that describe channels which no longer see the same inputs, so it scores
// far below what it is worth until they are re-estimated. Measured on one pruned genome: the
// same sliced weights, scored before and after re-calibration.
import { type Accuracy, evaluateBatches } from '../../pruning/channel/evaluate.js';
import { type BatchSet, recalibrateBatchNorm } from '../../pruning/channel/recalibrate.js';
import { sliceNetwork } from '../../pruning/channel/slice.js';
import type { MobileNetGenome } from '../../spaces/mobilenet/genome.js';
import type { MobileNetNetwork } from '../../spaces/mobilenet/network.js';

export interface BnEffect {
  /** Statistics copied from the unpruned network. */
  readonly inherited: Accuracy;
  readonly recalibrated: Accuracy;
}

/** `model` is not modified. */
export function bnEffect(model: MobileNetNetwork, pruned: MobileNetGenome, data: { recalibration: BatchSet; validation: BatchSet }): BnEffect {
  const net = sliceNetwork(model, pruned);
  try {
    const inherited = evaluateBatches(net, data.validation);
    recalibrateBatchNorm(net, data.recalibration);
    return { inherited, recalibrated: evaluateBatches(net, data.validation) };
  } finally {
    net.dispose();
  }
}
