// Magnitude pruning: keep the largest |w| among the weights that survive the current mask,
// either over all covered tensors at once (global) or tensor by tensor (layer). The kept count
// is exact: scores are ranked with a stable sort, so equal magnitudes are broken by position
// (earlier weights, in mask order then row-major order, go first) and the result is deterministic.
import { ConfigError, LnasError } from '../errors.js';
import type { Module } from '../nn/module.js';
import { ones } from '../tensor/creation.js';
import { cat } from '../tensor/functional.js';
import { noGrad } from '../tensor/runtime.js';
import { scope } from '../tensor/scope.js';
import { type Tensor, call, callT } from '../tensor/tensor.js';
import { Mask } from './mask.js';

export type PruneScope = 'global' | 'layer';

/**
 * How many weights to keep.
 *  keepFraction: of the weights surviving the current mask (one pruning step).
 *  density: of all covered weights (a schedule's absolute target: no rounding error accumulates).
 */
export type PruneAmount = { keepFraction: number } | { density: number };

export interface MagnitudeOptions {
  /** Rank weights across all covered tensors (default) or within each tensor. */
  scope?: PruneScope;
}

function fractionOf(a: PruneAmount): number {
  const [key, v] = 'density' in a ? ['density', a.density] : ['keepFraction', a.keepFraction];
  if (!Number.isFinite(v) || v < 0 || v > 1) throw new ConfigError(`pruning ${key} must be a number in [0, 1], got ${v}`, `pruning.${key}`);
  return v;
}

/** The number of weights to keep out of `total`, of which `surviving` are currently kept. */
export function keepCount(amount: PruneAmount, surviving: number, total: number): number {
  const f = fractionOf(amount);
  return 'density' in amount ? Math.round(total * f) : Math.round(surviving * f);
}

/**
 * A 0/1 float32 vector over the concatenated tensors keeping exactly `keep` of the surviving
 * positions with the largest |w|. Pruned positions score -1, below every |w|, so they stay pruned.
 */
function selectFlat(weights: readonly Tensor[], masks: readonly Tensor[], keep: number): Tensor {
  const scores = cat(weights.map((w, i) => {
    const m = masks[i] as Tensor;
    return w.detach().abs().mul(m).add(m.sub(1)).flatten();
  }));
  const n = scores.numel;
  const keepMask = ones([n], { device: scores.device });
  if (keep >= n) return keepMask;
  const [, order] = call('aten::sort.stable', [scores, true, 0, false]) as [Tensor, Tensor];
  return callT('aten::index_fill.int_Scalar', [keepMask, 0, order.narrow(0, 0, n - keep), 0]);
}

/**
 * The mask after pruning the model's weights by magnitude from `current` (which is not changed).
 * Only the tensors `current` covers are pruned; use Mask.ones(model, predicate) to choose them.
 */
export function magnitudePrune(model: Module, current: Mask, amount: PruneAmount, o: MagnitudeOptions = {}): Mask {
  const params = new Map(model.namedParameters());
  const names = current.names();
  fractionOf(amount);
  if (names.length === 0) return Mask.fromTensors([]);
  const weights = names.map((name) => {
    const p = params.get(name);
    if (!p) throw new LnasError('LNAS_MASK_MISMATCH', `mask tensor '${name}' names no parameter of the model; use a mask made for this architecture`, { path: name });
    return p;
  });
  const masks = names.map((name) => current.get(name) as Tensor);
  const counts = current.counts();
  const need = (name: string, keep: number, surviving: number) => {
    if (keep > surviving) {
      throw new LnasError('LNAS_PRUNE_TARGET', `pruning cannot regrow weights: the target keeps ${keep} weights${name ? ` of '${name}'` : ''} but only ${surviving} survive; ` +
        'ask for a lower density than the current mask has', name ? { path: name } : {});
    }
    return keep;
  };
  const kept = noGrad(() => scope(() => {
    if ((o.scope ?? 'global') === 'global') {
      let surviving = 0; let total = 0;
      for (const c of counts.values()) { surviving += c.kept; total += c.total; }
      const flat = selectFlat(weights, masks, need('', keepCount(amount, surviving, total), surviving));
      const parts = flat.split(weights.map((w) => w.numel));
      return parts.map((part, i) => part.reshape((weights[i] as Tensor).shape));
    }
    return names.map((name, i) => {
      const c = counts.get(name) as { kept: number; total: number };
      const w = weights[i] as Tensor;
      return selectFlat([w], [masks[i] as Tensor], need(name, keepCount(amount, c.kept, c.total), c.kept)).reshape(w.shape);
    });
  }));
  try {
    return Mask.fromTensors(names.map((name, i) => [name, kept[i] as Tensor] as const));
  } finally {
    for (const t of kept) t.dispose();
  }
}
