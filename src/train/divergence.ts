// A run whose loss is no longer a number has diverged: every later step trains on NaN weights.
// Training stops at the first such step with a typed error (exit code 2) instead of finishing
// with a summary of nulls; the step's update is never checkpointed, so the run folder keeps its
// last good checkpoint. A checkpoint that already holds non-finite weights is refused on resume.
import { LnasError } from '../errors.js';
import type { Module } from '../nn/module.js';
import { noGrad } from '../tensor/runtime.js';
import { scope } from '../tensor/scope.js';
import { callT } from '../tensor/tensor.js';

/** A mean cross-entropy above this many nats means the weights have blown up (chance is ln(classes)). */
export const DIVERGED_LOSS = 1e4;

export class DivergenceError extends LnasError {
  constructor(message: string, readonly epoch: number, readonly step: number) {
    super('LNAS_DIVERGED', message);
  }
}

export interface LossSite { stage: string; epoch: number; step: number; what?: string; hint: string }

/** Throws DivergenceError when `loss` is NaN, infinite or absurdly large. `epoch` is 1-based. */
export function checkLoss(loss: number, site: LossSite): void {
  if (Number.isFinite(loss) && loss <= DIVERGED_LOSS) return;
  const value = Number.isFinite(loss) ? loss.toExponential(2) : String(loss);
  throw new DivergenceError(`${site.stage} diverged at epoch ${site.epoch}, step ${site.step}: the ${site.what ?? 'training loss'} is ${value}. ` +
    `Try ${site.hint}. The run folder keeps its last good checkpoint; a rerun with other settings starts a new folder.`, site.epoch, site.step);
}

/** Refuses to resume from a checkpoint whose weights are NaN or infinite. */
export function checkFiniteWeights(model: Module, checkpoint: string): void {
  const bad = noGrad(() => scope(() => {
    for (const [name, t] of model.stateDict()) {
      if (t.dtype !== 'float32' && t.dtype !== 'float64') continue;
      if (callT('aten::isfinite', [t]).logicalNot().sum().item() > 0) return name;
    }
    return null;
  }));
  if (bad !== null) {
    throw new LnasError('LNAS_CHECKPOINT_DIVERGED', `${checkpoint} holds non-finite values in '${bad}' (the run diverged before this checkpoint was written); ` +
      `remove the run folder (rm -r ${checkpoint.replace(/\/[^/]*$/, '')}) and run again with a lower learning rate`, { path: checkpoint });
  }
}
