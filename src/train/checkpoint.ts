// A checkpoint is one safetensors file: model tensors, optimizer state, extra tensors (e.g. α,
// masks) and libtorch's RNG state, with everything else (epoch, step, data-loader position,
// TypeScript RNG, metrics so far) as JSON in the file's metadata. One file means one atomic
// rename: a killed process leaves either the previous checkpoint or the new one.
import { existsSync } from 'node:fs';
import { DataError } from '../errors.js';
import type { Module } from '../nn/module.js';
import { disposeAll, loadSafetensors, saveSafetensors } from '../nn/safetensors.js';
import type { Optimizer } from '../optim/optimizer.js';
import { getTorchRngState, noGrad, setTorchRngState } from '../tensor/runtime.js';
import { scope } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';

export interface CheckpointTarget {
  model: Module;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  optimizers: Record<string, Optimizer<any>>;
  /** Long-lived tensors saved and restored in place (α, masks, θ0 copies). */
  extra?: ReadonlyMap<string, Tensor>;
}

const FORMAT = 'lnas-checkpoint-1';

export function saveCheckpoint(path: string, target: CheckpointTarget, state: unknown): void {
  scope(() => {
    const tensors = new Map<string, Tensor>();
    for (const [k, t] of target.model.stateDict()) tensors.set(`model.${k}`, t);
    const optimJson: Record<string, unknown> = {};
    for (const [name, opt] of Object.entries(target.optimizers)) {
      const s = opt.stateDict();
      optimJson[name] = s.json;
      for (const [k, t] of s.tensors) tensors.set(`optim.${name}.${k}`, t);
    }
    for (const [k, t] of target.extra ?? []) tensors.set(`extra.${k}`, t);
    tensors.set('rng.torch', getTorchRngState());
    saveSafetensors(path, tensors, { format: FORMAT, state: JSON.stringify(state), optim: JSON.stringify(optimJson) });
  });
}

/** Restores the target in place and returns the JSON state, or null when there is no checkpoint. */
export function loadCheckpoint<S>(path: string, target: CheckpointTarget): S | null {
  if (!existsSync(path)) return null;
  const { tensors, metadata } = loadSafetensors(path);
  try {
    if (metadata.format !== FORMAT || metadata.state === undefined || metadata.optim === undefined) {
      throw new DataError('LNAS_CHECKPOINT_CORRUPT', `${path} is not an lnas checkpoint (format ${metadata.format ?? 'missing'})`, { path });
    }
    const pick = (prefix: string) => new Map([...tensors].filter(([k]) => k.startsWith(prefix)).map(([k, t]) => [k.slice(prefix.length), t]));
    target.model.loadStateDict(pick('model.'));
    const optimJson = JSON.parse(metadata.optim) as Record<string, { stepCount: number; groups: { lr: number }[] }>;
    for (const [name, opt] of Object.entries(target.optimizers)) {
      const json = optimJson[name];
      if (!json) throw new DataError('LNAS_CHECKPOINT_CORRUPT', `${path} has no state for optimizer '${name}'`, { path });
      opt.loadStateDict({ tensors: pick(`optim.${name}.`), json });
    }
    const extra = pick('extra.');
    for (const [k, dst] of target.extra ?? []) {
      const src = extra.get(k);
      if (!src) throw new DataError('LNAS_CHECKPOINT_CORRUPT', `${path} lacks tensor '${k}'`, { path });
      noGrad(() => dst.copy_(src));
    }
    const rng = tensors.get('rng.torch');
    if (rng) setTorchRngState(rng);
    return JSON.parse(metadata.state) as S;
  } finally {
    disposeAll(tensors);
  }
}
