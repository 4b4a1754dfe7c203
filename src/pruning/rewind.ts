// Rewinding: a copy of the model's parameters at one moment (θ0 at initialisation, or θk after
// k epochs/steps as OpenLTH does), copied back later. Rewinding only ever loads saved values;
// it never re-initialises, so surviving weights equal the snapshot bit for bit.
// Buffers (BN running statistics) are not part of the snapshot: they are re-estimated by the
// first batches of the next training segment anyway, and the paper rewinds weights only.
import { LnasError } from '../errors.js';
import type { Module } from '../nn/module.js';
import { disposeAll } from '../nn/safetensors.js';
import { noGrad } from '../tensor/runtime.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Mask } from './mask.js';

function paramsByName(model: Module, names: Iterable<string>): [string, Tensor][] {
  const params = new Map(model.namedParameters());
  return [...names].map((name) => {
    const p = params.get(name);
    if (!p) throw new LnasError('LNAS_STATE_MISMATCH', `the weight snapshot has tensor '${name}', which the model lacks; rewind only the model it was taken from`, { path: name });
    return [name, p];
  });
}

export class WeightSnapshot {
  private constructor(private readonly saved: Map<string, Tensor>) {}

  /** Kept copies of every named parameter (or those `include` selects). */
  static capture(model: Module, include: (name: string) => boolean = () => true): WeightSnapshot {
    const saved = new Map<string, Tensor>();
    noGrad(() => {
      for (const [name, p] of model.namedParameters()) if (include(name)) saved.set(name, p.clone().keep());
    });
    return new WeightSnapshot(saved);
  }

  /** Overwrites the snapshot with the model's current values, keeping the tensors' identity. */
  recapture(model: Module): void {
    const pairs = paramsByName(model, this.saved.keys());
    noGrad(() => { for (const [name, p] of pairs) (this.saved.get(name) as Tensor).copy_(p); });
  }

  /** Copies the snapshot into the model; with a mask, pruned weights are then exactly zero. */
  rewind(model: Module, mask?: Mask): void {
    const pairs = paramsByName(model, this.saved.keys());
    for (const [name, p] of pairs) {
      const s = this.saved.get(name) as Tensor;
      if (s.shape.join(',') !== p.shape.join(',')) {
        throw new LnasError('LNAS_STATE_MISMATCH', `snapshot tensor '${name}' has shape [${s.shape.join(', ')}] but the parameter has [${p.shape.join(', ')}]`, { path: name });
      }
    }
    noGrad(() => { for (const [name, p] of pairs) p.copy_(this.saved.get(name) as Tensor); });
    mask?.apply(model);
  }

  /** The snapshot tensors themselves (not copies): for fit()'s extraTensors. */
  tensors(): ReadonlyMap<string, Tensor> {
    return this.saved;
  }

  dispose(): void {
    disposeAll(this.saved);
  }
}
